import ConnectorAPI
import Foundation
import Hummingbird
import Testing

/// A small fleet for the dashboard tests: an HA site (two connectors, two WANs, two LANs, an ACL), 40 snapshots
/// of the primary 30 s apart with known rates (10 % CPU, 1.25 MB per 30 s received on its first interface, one
/// counter reset), its events, a third connector that never reported, and one connector of another account.
struct DashboardSeed {
    let primary: String
    let secondary: String
    let idle: String
    let site: String
    let otherAccountConnector: String
    let interface: String
    let snapshotTimes: [Double]
    static let resetIndex = 20
    /// Markup in data: the pages must show it as text, never run or render it.
    static let hostileDescription =
        #"<img src=x onerror="document.body.dataset.pwned=1"><script>document.body.dataset.pwned=1</script>"#
    static let bytesPerStep: UInt64 = 1_250_000
    static let step = 30.0

    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures/golden/linux-6.json")

    /// A LAN of an HA site: each node's address and the virtual one VRRP moves.
    static func haLAN(physport: Int, third: Int, name: String) -> LAN {
        var body = lan(physport: physport, third: third, name: name)
        body.staticAddressing?.secondaryAddress = "10.0.\(third).2/24"
        body.staticAddressing?.virtualAddress = "10.0.\(third).254/24"
        return body
    }

    /// Seeds a running server's store through its router in-process (the browser test reads it over the socket).
    static func seed(_ server: TestServer) async throws -> DashboardSeed {
        try await withRouter(of: server) { api in try await seed(api) }
    }

    static func seed(_ api: RouterClient) async throws -> DashboardSeed {
        let primary = try await api.createConnector(
            ConnectorFields(device: ConnectorDeviceOptions(id: "dash-a"), activated: true)
        ).id
        let secondary = try await api.createConnector(
            ConnectorFields(device: ConnectorDeviceOptions(id: "dash-b"), activated: true)
        ).id
        let idle = try await api.createConnector(ConnectorFields(device: ConnectorDeviceOptions(id: "dash-c"))).id
        let site = try await api.createSite(
            SiteTests.Body(
                name: "branch-amsterdam", description: DashboardSeed.hostileDescription, haMode: true,
                connectorId: primary,
                secondaryConnectorId: secondary
            ))
        _ = try await api.createWAN(
            site: site,
            WAN(
                name: "isp-a", physport: 1, priority: 0,
                staticAddressing: WANStaticAddressing(
                    address: "198.51.100.2/24", gatewayAddress: "198.51.100.1", secondaryAddress: "198.51.100.3/24")
            ))
        _ = try await api.createWAN(site: site, WAN(name: "isp-b", physport: 2, priority: 1))
        let office = try await api.createLAN(site: site, haLAN(physport: 3, third: 1, name: "office"))
        let lab = try await api.createLAN(site: site, haLAN(physport: 4, third: 2, name: "lab"))
        let acl = try await api.send(
            .post, "\(Paths.site(site))/acls",
            body: ACL(
                lan1: ACLConfiguration(lanId: office), lan2: ACLConfiguration(lanId: lab, ports: [22]),
                name: "office-to-lab-ssh",
                protocols: ["tcp"], unidirectional: true
            ))
        try #require(acl.status == .ok, "create ACL: \(acl.text)")

        // Snapshots are the golden fixture with a few fields changed: built as JSON objects.
        var base = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: golden)) as? [String: Any])
        var netdevs = try #require(base["netdevs"] as? [[String: Any]])
        let interface = try #require(netdevs.first?["name"] as? String)
        base["tunnels"] = [
            [
                "health_state": "healthy", "health_value": 0, "interface_name": "ipsec0", "tunnel_id": "tun-edge-1",
                "probed_mtu": 1420,
            ]
        ]
        base["ha_state"] = "active"
        let now = Date().timeIntervalSince1970.rounded(.down)
        var times: [Double] = []
        var batch: [[String: Any]] = []
        var received: UInt64 = 5_000_000
        for index in 0..<40 {
            let t = now - 5 - Double(39 - index) * step
            times.append(t)
            var snapshot = base
            snapshot["t"] = t
            snapshot["cpu_time_user_ms"] = 1_000_000 + index * 3000
            snapshot["cpu_time_idle_ms"] = 500_000 + index * 27000
            snapshot["delta"] = index % 5
            snapshot["epsilon"] = 100 + index
            received = index == resetIndex ? 1000 : received + bytesPerStep
            netdevs[0]["recv_bytes"] = received
            snapshot["netdevs"] = netdevs
            batch.append(snapshot)
        }
        let posted = try await api.send(.post, "\(Paths.telemetry(primary))/snapshots", raw: try jsonData(batch))
        try #require(posted.status == .ok, "post snapshots: \(posted.text)")
        let events = [
            RecordedEvent(e: .`init`, n: 1, t: now - 1200, v: "1.0.0"),
            RecordedEvent(e: .reconcile, n: 2, t: now - 1100, v: "1.0.0"),
            RecordedEvent(e: .reconcile, n: 3, t: now - 30, v: "1.0.0"),
        ]
        let postedEvents = try await api.send(.post, "\(Paths.telemetry(primary))/events", body: events)
        try #require(postedEvents.status == .ok, "post events: \(postedEvents.text)")

        let created = try await api.send(
            .post, "/accounts/\(TestServer.otherAccount)/magic/connectors", token: TestServer.otherWriteToken,
            body: ConnectorFields(device: ConnectorDeviceOptions(id: "other-device"))
        )
        let otherConnector = try #require(
            try api.decode(Connector.self, created).result?.id, "other account connector: \(created.text)")
        return DashboardSeed(
            primary: primary, secondary: secondary, idle: idle, site: site, otherAccountConnector: otherConnector,
            interface: interface, snapshotTimes: times
        )
    }
}
