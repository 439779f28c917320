import ConnectorAPI
import Netlink

/// The connector's side of the site's IPsec tunnels: one charon per tunnel (the initiator, NAT-T forced, to the
/// tunnel's Cloudflare endpoint on port 4500), its TUN device (link `ipsec<index>`) with the customer side of the
/// interface address, and the routes into the tunnels.
///
/// What goes into the tunnels: private address space (RFC 1918) that is not the site's own, i.e. the other
/// sites and what the edge routes; the rest of the internet breaks out through the WANs as before. Tunnels
/// share that route by their WAN's priority (equal priorities: ECMP); a tunnel the health monitor found down
/// gives no route, unless every tunnel is down.
enum TunnelPlan {
    /// The destinations routed into the tunnels.
    static let tunnelledSpace = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
    /// Tunnel routes' metric: `baseMetric + WAN priority`, above the default routes' so nothing else is shadowed.
    static let baseMetric: UInt32 = 100
    /// The first local NAT-T port of the connector's charons (one port per tunnel, 4501 + index).
    static let firstLocalPort = 4501

    /// Each tunnel-carrying WAN gets a table of its own (`firstWANTable` + the WAN's index) with its default
    /// route, and a rule sending what leaves from the WAN's address there: two tunnels to the same Cloudflare
    /// endpoint leave by their own WANs, whatever the main table's default route is.
    static let firstWANTable: UInt32 = 100
    static let wanTables: ClosedRange<UInt32> = 100...199
    static let firstRulePriority: UInt32 = 1000

    struct Plan {
        var daemons: [DaemonSpec] = []
        var links: [TunnelLink] = []
        var routes: [Route] = []
        var rules: [RoutingRule] = []
    }

    static func plan(_ config: SiteConfig, names: SiteNames, downTunnels: Set<String>) throws(UnsafeConfigValue) -> Plan {
        var plan = Plan()
        var hopsByMetric: [UInt32: [NextHop]] = [:]
        let links = config.ipsecTunnels.indices.map { SiteNames.tunnelLink($0) }
        let withdrawn = Planner.withdrawn(links, down: downTunnels)
        for (index, tunnel) in config.ipsecTunnels.enumerated() {
            guard let addressing = TunnelAddressing(tunnel.interfaceAddress),
                let endpoint = tunnel.cloudflareEndpoint?.value,
                let wan = wan(of: tunnel, in: config)
            else { continue }  // validation reported it
            let link = links[index]
            let instance = StrongSwan.Instance(base: "\(names.stateDirectory)/charon-\(link)", natPort: firstLocalPort + index)
            let wanAddress = wan.staticAddressing?.address?.value?.address
            let connection = StrongSwan.Connection(
                role: .initiator, localAddress: wanAddress, remoteAddress: endpoint, remotePort: StrongSwan.edgePort, localPort: instance.natPort,
                localIdentity: StrongSwan.customerIdentity(of: tunnel, siteKey: names.key), remoteIdentity: endpoint.description,
                psk: tunnel.psk ?? "")
            let connectionText = try StrongSwan.connectionConfig(connection)
            let tunnelLink = TunnelLink(name: link, address: addressing.customerCIDR, instance: instance)
            let daemonConfig = try StrongSwan.daemonConfig(
                instance, connectionFingerprint: Fingerprint.of(connectionText),
                comment: "vconnector: IPsec tunnel \(tunnel.name ?? link) on \(link) via WAN \(wan.name ?? SiteNames.link(of: wan)); written by `vconnector site apply`, do not edit")
            plan.daemons.append(DaemonSpec(
                name: "charon-\(link)", link: SiteNames.link(of: wan), command: StrongSwan.command(instance),
                configFile: instance.daemonConfigFile, config: daemonConfig, pidFile: instance.pidFile, detached: true,
                writesPidFile: true, companionFile: instance.connectionFile, companion: connectionText, tunnel: tunnelLink))
            plan.links.append(tunnelLink)
            if !withdrawn.contains(link) {
                hopsByMetric[baseMetric + UInt32(max(0, wan.priority ?? 0)), default: []]
                    .append(NextHop(gateway: addressing.cloudflare.description, interface: link))
            }
        }
        for (index, wan) in config.wans.enumerated() where config.ipsecTunnels.contains(where: { self.wan(of: $0, in: config) == wan }) {
            guard let addressing = wan.staticAddressing, let address = addressing.address?.value,
                let gateway = addressing.gatewayAddress?.value, index < wanTables.count else { continue }
            let table = firstWANTable + UInt32(index)
            plan.routes.append(Route(destination: "0.0.0.0/0", metric: 0, nextHops: [NextHop(gateway: gateway.description, interface: SiteNames.link(of: wan))], table: table))
            plan.rules.append(RoutingRule(priority: firstRulePriority + UInt32(index), source: "\(address.address)/32", table: table))
        }
        let viaEdge = ViaEdge.rules(config)
        for (metric, hops) in hopsByMetric.sorted(by: { $0.key < $1.key }) {
            for destination in tunnelledSpace {
                plan.routes.append(Route(destination: destination, metric: metric, nextHops: hops))
            }
            if !viaEdge.isEmpty { plan.routes.append(Route(destination: "0.0.0.0/0", metric: metric, nextHops: hops, table: ViaEdge.table)) }
        }
        plan.rules += viaEdge
        return plan
    }

    /// The static WAN a tunnel leaves by: the one whose address is the tunnel's customer endpoint.
    static func wan(of tunnel: IPsecTunnel, in config: SiteConfig) -> WAN? {
        guard let endpoint = tunnel.customerEndpoint?.value else { return nil }
        return config.wans.first { $0.staticAddressing?.address?.value?.address == endpoint }
    }
}
