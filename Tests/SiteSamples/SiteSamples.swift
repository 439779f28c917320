import ConnectorAPI
import Foundation

/// Site configs the rule and site tests start from, and where the fixture files are (a test helper target shared
/// by SiteRulesTests and SiteNetworkTests).
public enum SiteSamples {
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let sitesDirectory = packageRoot.appendingPathComponent("fixtures/sites")

    /// The `.json` files of `fixtures/sites/<folder>`, sorted.
    public static func fixtures(_ folder: String) -> [String] {
        let directory = sitesDirectory.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    public static func path(_ folder: String, _ name: String) -> String {
        sitesDirectory.appendingPathComponent(folder).appendingPathComponent(name).path
    }

    /// A clean site touching every rule's field: a static and a DHCP WAN; `office` (DHCP server with a reservation,
    /// a routed subnet) and `lab` (DHCP relay); an ACL from office to lab with ports, a range and a subnet.
    public static func branch() -> SiteConfig {
        SiteConfig(
            site: Site(description: "rule tests", location: SiteLocation(lat: "52.37", lon: "4.89"), name: "branch"),
            lans: [
                LAN(
                    id: "lan-office", name: "office", physport: 3,
                    routedSubnets: [RoutedSubnet(nextHop: "192.168.10.254", prefix: "10.20.0.0/16")],
                    staticAddressing: LANStaticAddressing(
                        address: "192.168.10.1/24",
                        dhcpServer: DHCPServer(
                            dhcpPoolEnd: "192.168.10.199", dhcpPoolStart: "192.168.10.100",
                            dnsServers: ["192.168.10.1"],
                            reservations: ["02:00:00:00:10:0a": "192.168.10.10"]
                        )
                    )
                ),
                LAN(
                    id: "lan-lab", name: "lab", physport: 4,
                    staticAddressing: LANStaticAddressing(
                        address: "192.168.20.1/24", dhcpRelay: DHCPRelay(serverAddresses: ["192.168.10.2"])
                    )
                ),
            ],
            wans: [
                WAN(
                    name: "isp-a", physport: 1, priority: 0,
                    staticAddressing: WANStaticAddressing(address: "198.51.100.2/24", gatewayAddress: "198.51.100.1")
                ),
                WAN(name: "isp-b", physport: 2, priority: 1),
            ],
            acls: [
                ACL(
                    lan1: ACLConfiguration(lanName: "office"),
                    lan2: ACLConfiguration(
                        lanId: "lan-lab", portRanges: ["8000-8100"], ports: [22], subnets: ["192.168.20.0/25"]),
                    name: "office-to-lab", protocols: ["tcp"]
                )
            ]
        )
    }

    /// A clean high-availability site: LANs with address, secondary_address and virtual_address; `users` is the HA link.
    public static func haSite() -> SiteConfig {
        func addressing(_ net: String) -> LANStaticAddressing {
            LANStaticAddressing(address: "\(net).2/24", secondaryAddress: "\(net).3/24", virtualAddress: "\(net).1/24")
        }
        return SiteConfig(
            site: Site(
                connectorId: "c1", haMode: true, name: "branch-ha", secondaryConnectorId: "c2"
            ),
            lans: [
                LAN(haLink: true, name: "users", physport: 3, staticAddressing: addressing("10.30.1")),
                LAN(name: "servers", physport: 4, staticAddressing: addressing("10.30.2")),
            ],
            wans: [
                WAN(
                    name: "isp-a", physport: 1,
                    staticAddressing: WANStaticAddressing(
                        address: "198.51.100.2/29", gatewayAddress: "198.51.100.1", secondaryAddress: "198.51.100.3/29"
                    )
                )
            ],
            acls: []
        )
    }
}
