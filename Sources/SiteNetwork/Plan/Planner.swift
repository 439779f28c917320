import ConnectorAPI
import Netlink

/// Turns a validated site config into the desired state. Pure: config and current DHCP leases in, state out.
/// Throws only when a generated daemon file would hold an unsafe value (see `ConfigText`).
public enum Planner {
    /// Default routes get metric `baseMetric + priority`; equal priorities share one ECMP route.
    public static let baseMetric: UInt32 = 10

    public static func desiredState(
        for config: SiteConfig, names: SiteNames, leases: [String: DHCPClientLease], capabilities: Capabilities = .unprobed,
        downWANs: Set<String> = [], downTunnels: Set<String> = [], pingBeforeOffer: Bool = true
    ) throws(UnsafeConfigValue) -> DesiredState {
        var ports: [PortSpec] = []
        var addresses: [String: [String]] = [:]
        var routes: [Route] = []
        var daemons: [DaemonSpec] = []
        var dhcpLinks: Set<String> = []
        var notes: [String] = []
        var virtualAddresses: [String: [String]] = [:]
        // One node of an HA pair holds only its own addresses; keepalived adds the virtual ones to the active node.
        let node = config.site.haMode == true ? names.node : nil
        func own(_ address: CIDRField?, _ secondary: CIDRField?) -> String? {
            (node == .secondary ? secondary : address)?.value?.description
        }

        func port(_ name: String) -> String {
            if !ports.contains(where: { $0.name == name }) { ports.append(PortSpec(name: name, names: names)) }
            return name
        }

        // WANs: static ones group into one default route per priority (ECMP when several share it). A WAN the
        // health monitor found down gives no default route, unless every WAN is down.
        var gatewaysByMetric: [UInt32: [NextHop]] = [:]
        let withdrawn = withdrawn(config.wans.map(SiteNames.link(of:)), down: downWANs)
        for wan in config.wans {
            let link = port(SiteNames.link(of: wan))
            let metric = baseMetric + UInt32(max(0, wan.priority ?? 0))
            if node != nil, let addressing = wan.staticAddressing {
                if let address = own(addressing.address, addressing.secondaryAddress) { addresses[link, default: []].append(address) }
                if let gateway = addressing.gatewayAddress?.value, !withdrawn.contains(link) {
                    gatewaysByMetric[metric, default: []].append(NextHop(gateway: gateway.description, interface: link))
                }
            } else if let addressing = wan.staticAddressing, let address = addressing.address?.value {
                addresses[link, default: []].append(address.description)
                if let secondary = addressing.secondaryAddress?.value { addresses[link, default: []].append(secondary.description) }
                if let gateway = addressing.gatewayAddress?.value, !withdrawn.contains(link) {
                    gatewaysByMetric[metric, default: []].append(NextHop(gateway: gateway.description, interface: link))
                }
            } else {
                dhcpLinks.insert(link)
                daemons.append(try DHCPClient.daemon(link: link, names: names))
                if let lease = leases[link] {
                    addresses[link, default: []].append(lease.cidr)
                    if let router = lease.router, !withdrawn.contains(link) {
                        gatewaysByMetric[metric, default: []].append(NextHop(gateway: router, interface: link))
                    }
                }
            }
        }
        for (metric, hops) in gatewaysByMetric.sorted(by: { $0.key < $1.key }) {
            routes.append(Route(destination: "0.0.0.0/0", metric: metric, nextHops: hops))
        }

        // LANs: addresses, DHCP server or relay (dnsmasq), or a DHCP client when not statically addressed.
        for lan in config.lans {
            let link = port(SiteNames.link(of: lan))
            guard let addressing = lan.staticAddressing, let address = addressing.address?.value else {
                dhcpLinks.insert(link)
                daemons.append(try DHCPClient.daemon(link: link, names: names))
                if let lease = leases[link] { addresses[link, default: []].append(lease.cidr) }
                continue
            }
            if node != nil {
                if let address = own(addressing.address, addressing.secondaryAddress) { addresses[link, default: []].append(address) }
                if let virtual = addressing.virtualAddress?.value {
                    virtualAddresses[link, default: []].append(virtual.description)
                }
            } else {
                addresses[link, default: []].append(address.description)
                for extra in [addressing.secondaryAddress, addressing.virtualAddress].compactMap({ $0?.value }) {
                    addresses[link, default: []].append(extra.description)
                }
            }
            // An HA node's DHCP servers follow its VRRP state: keepalived's notify script runs them.
            if node == nil && (addressing.dhcpServer != nil || addressing.dhcpRelay != nil) {
                daemons.append(try Dnsmasq.daemon(lan: lan, link: link, names: names, pingBeforeOffer: pingBeforeOffer))
            }
            for routed in lan.routedSubnets ?? [] {
                guard let prefix = routed.prefix?.value, let hop = routed.nextHop?.value else { continue }
                routes.append(Route(destination: prefix.networkCIDR, metric: 0, nextHops: [NextHop(gateway: hop.description, interface: link)]))
            }
        }

        if config.wans.contains(where: { ($0.vlanTag ?? 0) != 0 }) || config.lans.contains(where: { ($0.vlanTag ?? 0) != 0 }) {
            notes.append("VLAN: emulated: each physport+VLAN is its own veth and segment bridge (\(capabilities.vlan))")
        }
        if config.lans.contains(where: { $0.bondId != nil }) {
            notes.append("bond: emulated: a bond is one veth and segment bridge, its status that link's (\(capabilities.bonding))")
        }
        if node != nil, let keepalived = try Keepalived.daemon(config: config, names: names, pingBeforeOffer: pingBeforeOffer) { daemons.append(keepalived) }
        let tunnels = try TunnelPlan.plan(config, names: names, downTunnels: downTunnels)
        daemons += tunnels.daemons
        routes += tunnels.routes

        for key in addresses.keys { addresses[key] = canonical(addresses[key]!) }
        let ruleset = Ruleset.render(config, names: names)
        return DesiredState(
            names: names, ports: ports, addresses: addresses, routes: routes.sorted { ($0.destination, $0.metric) < ($1.destination, $1.metric) },
            ruleset: ruleset.text, rulesetFingerprint: ruleset.fingerprint, daemons: daemons, dhcpLinks: dhcpLinks, notes: notes,
            tunnelLinks: tunnels.links, rules: tunnels.rules, virtualAddresses: virtualAddresses)
    }

    /// What loses its routes among `links` (WANs, tunnels): the `down` ones, unless every one is (there is nowhere
    /// better to send traffic).
    static func withdrawn(_ links: [String], down: Set<String>) -> Set<String> {
        links.allSatisfy(down.contains) ? [] : down
    }

    /// Sorted and de-duplicated CIDRs.
    package static func canonical(_ cidrs: [String]) -> [String] { Array(Set(cidrs)).sorted() }
}
