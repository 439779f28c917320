import ConnectorAPI
import Foundation
import Netlink
import SiteSamples
import Testing
import TestSupport

@testable import SiteNetwork

// IPsec tunnels and Magic routes in a site config: their rules, what the planner makes of them, and the
// strongSwan files, which hostile strings never escape.

private let tunnelSample: @Sendable () -> SiteConfig = { SiteFixtures.tunnelSite("rules", octet: 10) }

@Suite struct TunnelConfigTests {
    static let cases: [RuleCase] = [
        RuleCase("a clean tunnel site", sample: tunnelSample, { _ in }, []),
        RuleCase("tunnel name missing", sample: tunnelSample, { $0.ipsecTunnels[0].name = nil }, [("ipsec_tunnels[0].name", "required")]),
        RuleCase("tunnel names unique", sample: tunnelSample, { $0.ipsecTunnels[1].name = $0.ipsecTunnels[0].name },
                 [("ipsec_tunnels[1].name", "already the name of ipsec_tunnels[0]")]),
        RuleCase("interface address a /29", sample: tunnelSample, { $0.ipsecTunnels[0].interfaceAddress = "10.200.10.1/29" },
                 [("ipsec_tunnels[0].interface_address", "must be a /31 or /30"), ("routes[0].nexthop", "not the customer side")]),
        RuleCase("interface address public", sample: tunnelSample, { $0.ipsecTunnels[0].interfaceAddress = "198.18.0.0/31"; $0.routes[0].nexthop = "198.18.0.1" },
                 [("ipsec_tunnels[0].interface_address", "not in private space")]),
        RuleCase("interface address overlaps the LAN", sample: tunnelSample, { $0.ipsecTunnels[1].interfaceAddress = "10.10.0.10/31"; $0.routes[1].nexthop = "10.10.0.11" },
                 [("ipsec_tunnels[1].interface_address", "overlaps 10.10.0.0/24")]),
        RuleCase("tunnels overlap", sample: tunnelSample, { $0.ipsecTunnels[1].interfaceAddress = "10.200.10.1/31"; $0.routes.removeLast() },
                 [("ipsec_tunnels[1].interface_address", "overlaps 10.200.10.0/31")]),
        RuleCase("cloudflare endpoint multicast", sample: tunnelSample, { $0.ipsecTunnels[0].cloudflareEndpoint = "224.0.0.5" },
                 [("ipsec_tunnels[0].cloudflare_endpoint", "not a unicast address")]),
        RuleCase("customer endpoint not a WAN", sample: tunnelSample, { $0.ipsecTunnels[0].customerEndpoint = "192.0.2.7" },
                 [("ipsec_tunnels[0].customer_endpoint", "not the address of one of the site's static WANs")]),
        RuleCase("psk missing", sample: tunnelSample, { $0.ipsecTunnels[0].psk = nil }, [("ipsec_tunnels[0].psk", "required")]),
        RuleCase("psk short", sample: tunnelSample, { $0.ipsecTunnels[0].psk = "abc" }, [("ipsec_tunnels[0].psk", "8 to 256 bytes")]),
        RuleCase("health check enums", sample: tunnelSample, {
            $0.ipsecTunnels[0].healthCheck = TunnelHealthCheck(direction: "sideways", rate: "fast", type: "ping")
        }, [("ipsec_tunnels[0].health_check.rate", "not a health check rate"), ("ipsec_tunnels[0].health_check.type", "not a health check type"),
            ("ipsec_tunnels[0].health_check.direction", "not a health check direction")]),
        RuleCase("fqdn id not a domain", sample: tunnelSample, { $0.ipsecTunnels[0].customRemoteIdentities = CustomRemoteIdentities(fqdnId: "a b") },
                 [("ipsec_tunnels[0].custom_remote_identities.fqdn_id", "not a domain name")]),
        RuleCase("route nexthop not a tunnel", sample: tunnelSample, { $0.routes[0].nexthop = "10.200.10.0" },
                 [("routes[0].nexthop", "10.200.10.0 is not the customer side")]),
        RuleCase("route prefix host bits", sample: tunnelSample, { $0.routes[0].prefix = "10.10.0.1/24" }, [("routes[0].prefix", "has host bits")]),
        RuleCase("route priority and weight", sample: tunnelSample, { $0.routes[0].priority = -1; $0.routes[0].weight = 300 },
                 [("routes[0].priority", "out of range"), ("routes[0].weight", "out of range")]),
        RuleCase("route priority missing", sample: tunnelSample, { $0.routes[0].priority = nil }, [("routes[0].priority", "required")]),
    ]

    @Test(arguments: cases) func tunnelRule(_ rule: RuleCase) { rule.run(SiteValidator.validate) }

    @Test func theTwoSidesOfAnInterfaceAddress() throws {
        let slash31 = try #require(TunnelAddressing("10.200.1.0/31"))
        #expect(slash31.cloudflare.description == "10.200.1.0" && slash31.customer.description == "10.200.1.1" && slash31.customerCIDR == "10.200.1.1/31")
        let reversed = try #require(TunnelAddressing("10.200.1.1/31"))
        #expect(reversed.customer.description == "10.200.1.0")
        let slash30 = try #require(TunnelAddressing("10.200.1.2/30"))
        #expect(slash30.customer.description == "10.200.1.1")
        #expect(TunnelAddressing("10.200.1.0/30") == nil && TunnelAddressing("10.200.1.0/29") == nil)
    }

    @Test func thePlanHasACharonPerTunnelRoutesByWANPriorityAndSourceRules() throws {
        let config = tunnelSample()
        let names = SiteNames(site: config.site, stateRoot: "/run/vct-plan")
        let state = try Planner.desiredState(for: config, names: names, leases: [:])
        #expect(state.daemons.filter { $0.tunnel != nil }.map(\.name) == ["charon-ipsec0", "charon-ipsec1"])
        #expect(state.tunnelLinks.map(\.name) == ["ipsec0", "ipsec1"] && state.tunnelLinks.map(\.address) == ["10.200.10.1/31", "10.200.10.3/31"])
        let private10 = state.routes.filter { $0.destination == "10.0.0.0/8" }
        #expect(private10.map(\.metric) == [100, 101])
        #expect(private10.map { $0.nextHops.map(\.interface) } == [["ipsec0"], ["ipsec1"]])
        #expect(state.rules == [RoutingRule(priority: 1000, source: "198.51.100.2/32", table: 100), RoutingRule(priority: 1001, source: "203.0.113.2/32", table: 101)])
        #expect(state.routes.contains(Route(destination: "0.0.0.0/0", metric: 0, nextHops: [NextHop(gateway: "203.0.113.1", interface: "port2")], table: 101)))
        // A tunnel found down gives no route, unless both are.
        let oneDown = try Planner.desiredState(for: config, names: names, leases: [:], downTunnels: ["ipsec0"])
        #expect(oneDown.routes.filter { $0.destination == "10.0.0.0/8" }.map { $0.nextHops.map(\.interface) } == [["ipsec1"]])
        let bothDown = try Planner.desiredState(for: config, names: names, leases: [:], downTunnels: ["ipsec0", "ipsec1"])
        #expect(bothDown.routes.filter { $0.destination == "10.0.0.0/8" }.count == 2)
        // The initiator: the WAN's address, NAT-T from port 4501 + index to the edge's 4500, the PSK as hex only.
        let charon = try #require(state.daemons.first { $0.name == "charon-ipsec1" })
        let connection = try #require(charon.companion)
        #expect(connection.contains("local_addrs = 203.0.113.2\n") && connection.contains("remote_port = 4500\n") && connection.contains("local_port = 4502\n"))
        #expect(!connection.contains(config.ipsecTunnels[1].psk!) && connection.contains("secret = 0x"))
        #expect(charon.config?.contains("port_nat_t = 4502\n") == true && charon.config?.contains("routing_table_prio = 32767\n") == true)
    }

    @Test func forwardLocallyFalseSendsTheACLsTrafficViaTheEdge() throws {
        let config = SiteFixtures.viaEdgeSite("plan-edge", octet: 40)
        let state = try Planner.desiredState(for: config, names: SiteNames(site: config.site, stateRoot: "/run/vct-plan"), leases: [:])
        #expect(state.rules.filter { $0.table == ViaEdge.table } == [
            RoutingRule(priority: 900, source: "10.40.0.0/24", destination: "10.40.1.0/24", inputInterface: "port3", table: 199),
            RoutingRule(priority: 901, source: "10.40.1.0/24", destination: "10.40.0.0/24", inputInterface: "port4", table: 199),
        ])
        #expect(state.routes.contains(Route(destination: "0.0.0.0/0", metric: 100, nextHops: [NextHop(gateway: "10.200.40.0", interface: "ipsec0")], table: 199)))
        // The ACL is applied on the way out to the tunnel and lets the traffic in again; the rest is dropped.
        #expect(state.ruleset.contains(#"iifname "port3" oifname "ipsec0" ip saddr 10.40.0.0/24 ip daddr 10.40.1.0/24 meta l4proto tcp th dport 22 accept"#))
        #expect(state.ruleset.contains(#"iifname "ipsec0" oifname "port4" ip saddr 10.40.0.0/24 ip daddr 10.40.1.0/24 meta l4proto tcp th dport 22 accept"#))
        #expect(state.ruleset.contains("LAN to LAN via the edge without an ACL"))
        // forward_locally true, or no tunnel: local, as before.
        var local = config
        local.acls[0].forwardLocally = true
        let localState = try Planner.desiredState(for: local, names: SiteNames(site: local.site, stateRoot: "/run/vct-plan"), leases: [:])
        #expect(localState.rules.allSatisfy { $0.table != ViaEdge.table } && !localState.ruleset.contains("via the edge"))
        #expect(try SiteExplainer(config).explain(from: "office", to: "10.40.1.20", probe: Probe(.tcp, port: 22)).rule.contains("via the edge"))
    }

    @Test func crossSiteExpectationsComeFromBothSitesRoutes() throws {
        let a = SiteFixtures.tunnelSite("cross-a", octet: 50), b = SiteFixtures.tunnelSite("cross-b", octet: 51, tunnels: 1)
        let source = try #require(IPv4Address("10.50.0.100")), destination = try #require(IPv4Address("10.51.0.100"))
        let allowed = CrossSite.decision(from: a, source: source, to: b, destination: destination)
        #expect(allowed.verdict == .allow && allowed.rule.contains("route 10.51.0.0/24") && allowed.rule.contains("back by route 10.50.0.0/24"))
        var noRoute = b
        noRoute.routes = []
        #expect(CrossSite.decision(from: a, source: source, to: noRoute, destination: destination).rule.contains("no Magic route of site"))
        var noWayBack = a
        noWayBack.routes = []
        #expect(CrossSite.decision(from: noWayBack, source: source, to: b, destination: destination).rule.contains("has no way back"))
        var noTunnel = a
        noTunnel.ipsecTunnels = []
        #expect(CrossSite.decision(from: noTunnel, source: source, to: b, destination: destination).verdict == .drop)
    }

    @Test func aChangedPSKRestartsOnlyItsCharon() throws {
        let config = tunnelSample()
        let names = SiteNames(site: config.site, stateRoot: "/run/vct-plan")
        var changed = config
        changed.ipsecTunnels[1].psk = "another-pre-shared-key"
        let before = try Planner.desiredState(for: config, names: names, leases: [:]).daemons
        let after = try Planner.desiredState(for: changed, names: names, leases: [:]).daemons
        #expect(zip(before, after).filter { $0.config != $1.config }.map(\.0.name) == ["charon-ipsec1"])
    }

    /// Every hostile string as a tunnel's name, description, PSK, id and FQDN: validation refuses what it must,
    /// and what passes (or skips validation) never adds a line to the strongSwan files.
    @Test(arguments: HostileStrings.corpus.map(\.value))
    func hostileStringsNeverEscapeTheStrongSwanFiles(_ value: String) throws {
        var config = tunnelSample()
        config.ipsecTunnels[0].name = value
        config.ipsecTunnels[0].description = value
        config.ipsecTunnels[0].psk = value
        config.ipsecTunnels[1].id = value
        config.ipsecTunnels[1].customRemoteIdentities = CustomRemoteIdentities(fqdnId: value)
        let names = SiteNames(site: config.site, stateRoot: "/run/vct-hostile")
        let clean = try Planner.desiredState(for: tunnelSample(), names: names, leases: [:]).daemons.filter { $0.tunnel != nil }
        do {
            let daemons = try Planner.desiredState(for: config, names: names, leases: [:]).daemons.filter { $0.tunnel != nil }
            for (daemon, reference) in zip(daemons, clean) {
                let lines = (daemon.companion ?? "").split(separator: "\n", omittingEmptySubsequences: false)
                let shape = (reference.companion ?? "").split(separator: "\n", omittingEmptySubsequences: false)
                #expect(lines.count == shape.count, "same number of lines as a clean config")
                #expect(zip(lines, shape).allSatisfy { $0.split(separator: "=").first == $1.split(separator: "=").first }, "same keys on every line")
                #expect(!(daemon.companion ?? "").contains(value) || value.allSatisfy { $0.isLetter || $0.isNumber })
                #expect(daemon.config?.split(separator: "\n").count == reference.config?.split(separator: "\n").count)
            }
        } catch {
            #expect(!error.description.contains("\n"))
        }
        #expect(!HostileStrings.markerExists)
    }
}
