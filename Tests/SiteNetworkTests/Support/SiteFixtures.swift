import ConnectorAPI
import Foundation
import SiteNetwork
import SiteSamples

/// Site configs for the tests, each with a unique site name so its namespaces (vc-<key>...) are unique.
enum SiteFixtures {
    /// Two WANs (static on port 1, DHCP on port 2) and two LANs (office: DHCP server with a reservation on
    /// port 3; lab: DHCP relay to 203.0.113.10 on port 4), no ACL.
    static func twoWANsTwoLANs(_ tag: String = "e2e") -> SiteConfig {
        SiteConfig(
            site: Site(id: nil, name: "vct-\(tag)-\(UInt32.random(in: 0...UInt32.max))"),
            lans: [
                LAN(id: "lan-office", name: "office", physport: 3, staticAddressing: LANStaticAddressing(
                    address: "192.168.10.1/24",
                    dhcpServer: DHCPServer(dhcpPoolEnd: "192.168.10.199", dhcpPoolStart: "192.168.10.100",
                                           dnsServers: ["192.168.10.1"], reservations: ["02:00:00:00:10:0a": "192.168.10.10"]))),
                LAN(id: "lan-lab", name: "lab", physport: 4, staticAddressing: LANStaticAddressing(
                    address: "192.168.20.1/24", dhcpRelay: DHCPRelay(serverAddresses: ["203.0.113.10"]))),
            ],
            wans: [
                WAN(id: "wan-a", name: "isp-a", physport: 1, priority: 0,
                    staticAddressing: WANStaticAddressing(address: "198.51.100.2/24", gatewayAddress: "198.51.100.1")),
                WAN(id: "wan-b", name: "isp-b", physport: 2, priority: 1),
            ],
            acls: [])
    }

    /// The office may reach the lab's TCP port 22 (one way).
    static let officeToLabSSH = ACL(
        id: "acl-ssh", forwardLocally: true, lan1: ACLConfiguration(lanName: "office"),
        lan2: ACLConfiguration(lanName: "lab", ports: [22]), name: "office-to-lab-ssh", protocols: ["tcp"], unidirectional: true)

    /// Tears down what a test run that was killed (timeout, crash) left: the sites of `vct-*` state roots in the
    /// temporary directory untouched for 10 minutes. Only test state roots are looked at, never a real site,
    /// and never one of a test that is running now.
    static func cleanUpKilledRuns() {
        let temporary = FileManager.default.temporaryDirectory
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? [] where entry.hasPrefix("vct-") {
            let root = temporary.appendingPathComponent(entry).path
            let sites = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/sites")) ?? []
            let modified = (try? FileManager.default.attributesOfItem(atPath: root)[.modificationDate] as? Date) ?? Date()
            guard !sites.isEmpty, modified < Date().addingTimeInterval(-600) else { continue }
            let reconciler = SiteReconciler(stateRoot: root)
            for key in sites { _ = try? reconciler.teardown(SiteNames(key: key, stateRoot: root)) }
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    /// A fresh state root for one test.
    static func stateRoot() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vct-state-\(UInt32.random(in: 0...UInt32.max))").path
        return path
    }
}

/// A test's site under its own state root; `tearDown()` (in a `defer`) removes everything of it even when the
/// test fails.
struct TestSite {
    let stateRoot: String
    let reconciler: SiteReconciler
    let names: SiteNames

    /// `stateRoot`: another test site's, for sites that share a lab (and its edge).
    init(_ config: SiteConfig, stateRoot: String = SiteFixtures.stateRoot()) {
        self.stateRoot = stateRoot
        reconciler = SiteReconciler(stateRoot: stateRoot)
        names = reconciler.names(for: config)
    }

    func tearDown(keepingStateRoot: Bool = false) {
        _ = try? reconciler.teardown(names)
        if !keepingStateRoot { try? FileManager.default.removeItem(atPath: stateRoot) }
    }
}

extension SiteFixtures {
    /// A site with tunnels to the lab's edge, like fixtures/sites/good/tunnel-site-a.json: `tunnels` static WANs
    /// (198.51.100.2 on port 1, 203.0.113.2 on port 2), one LAN 10.`octet`.0.0/24 on port 3, one tunnel per WAN
    /// (10.200.`octet`.0/31, .2/31; the first WAN's has priority 100, the second's 200), `rate` health checks.
    static func tunnelSite(_ tag: String, octet: Int, tunnels: Int = 2, rate: String = "high") -> SiteConfig {
        let wans = [
            WAN(name: "isp-a", physport: 1, priority: 0, staticAddressing: WANStaticAddressing(address: "198.51.100.2/24", gatewayAddress: "198.51.100.1")),
            WAN(name: "isp-b", physport: 2, priority: 1, staticAddressing: WANStaticAddressing(address: "203.0.113.2/24", gatewayAddress: "203.0.113.1")),
        ].prefix(tunnels)
        let ipsec = wans.indices.map { index in
            IPsecTunnel(
                cloudflareEndpoint: "162.159.64.1", interfaceAddress: "10.200.\(octet).\(index * 2)/31", name: "\(tag)-t\(index)",
                customerEndpoint: wans[index].staticAddressing?.address?.value.map { AddressField(value: $0.address) },
                healthCheck: TunnelHealthCheck(enabled: true, rate: rate, type: "request"), psk: "test-psk-\(tag)-\(index)-\(UInt32.random(in: 0...UInt32.max))")
        }
        return SiteConfig(
            site: Site(name: "vct-\(tag)-\(UInt32.random(in: 0...UInt32.max))"),
            lans: [LAN(name: "office", physport: 3, staticAddressing: LANStaticAddressing(
                address: "10.\(octet).0.1/24",
                dhcpServer: DHCPServer(dhcpPoolEnd: "10.\(octet).0.199", dhcpPoolStart: "10.\(octet).0.100", dnsServers: ["10.\(octet).0.1"])))],
            wans: Array(wans), acls: [], ipsecTunnels: ipsec,
            routes: ipsec.indices.map { index in
                MagicRoute(nexthop: "10.200.\(octet).\(index * 2 + 1)", prefix: "10.\(octet).0.0/24", priority: 100 * (index + 1))
            })
    }
}

extension SiteFixtures {
    /// `tunnelSite` with a second LAN (lab, 10.`octet`.1.0/24 on port 4) that the office reaches via the edge: an ACL
    /// office -> lab (ICMP and tcp/22, both ways) with forward_locally false, and Magic routes for both LANs (through
    /// the first tunnel, and the second at a lower priority when there are two).
    static func viaEdgeSite(_ tag: String, octet: Int, tunnels: Int = 1) -> SiteConfig {
        var config = tunnelSite(tag, octet: octet, tunnels: tunnels)
        config.lans.append(LAN(name: "lab", physport: 4, staticAddressing: LANStaticAddressing(
            address: "10.\(octet).1.1/24", dhcpServer: DHCPServer(dhcpPoolEnd: "10.\(octet).1.199", dhcpPoolStart: "10.\(octet).1.100"))))
        config.acls = [ACL(forwardLocally: false, lan1: ACLConfiguration(lanName: "office"), lan2: ACLConfiguration(lanName: "lab", ports: [22]),
                           name: "office-lab-via-edge", protocols: ["icmp", "tcp"])]
        for index in 0..<tunnels {
            config.routes.append(MagicRoute(nexthop: "10.200.\(octet).\(index * 2 + 1)", prefix: "10.\(octet).1.0/24", priority: 100 * (index + 1)))
        }
        return config
    }

    /// fixtures/sites/good/ha-site.json (a pair, a DHCP LAN, a VLAN LAN and the HA link) named for one test.
    static func haLabSite(_ tag: String) throws -> SiteConfig {
        let data = try Data(contentsOf: URL(fileURLWithPath: SiteSamples.path("good", "ha-site.json")))
        var config = try JSONDecoder().decode(SiteConfig.self, from: data)
        config.site.name = "vct-ha-\(tag)"
        return config
    }
}
