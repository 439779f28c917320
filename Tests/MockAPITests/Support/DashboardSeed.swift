import Foundation
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
    static let hostileDescription = #"<img src=x onerror="document.body.dataset.pwned=1"><script>document.body.dataset.pwned=1</script>"#
    static let bytesPerStep: UInt64 = 1_250_000
    static let step = 30.0

    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures/golden/linux-6.json")

    /// A LAN of an HA site: each node's address and the virtual one VRRP moves.
    static func haLAN(physport: Int, third: Int, name: String) -> [String: Any] {
        var body = lanBody(physport: physport, third: third, name: name)
        var addressing = body["static_addressing"] as? [String: Any] ?? [:]
        addressing["secondary_address"] = "10.0.\(third).2/24"
        addressing["virtual_address"] = "10.0.\(third).254/24"
        body["static_addressing"] = addressing
        return body
    }

    static func seed(_ server: TestServer) async throws -> DashboardSeed {
        let client = server.client
        let primary = try #require(try await client.createConnector(["device": ["id": "dash-a"], "activated": true])["id"] as? String)
        let secondary = try #require(try await client.createConnector(["device": ["id": "dash-b"], "activated": true])["id"] as? String)
        let idle = try #require(try await client.createConnector(["device": ["id": "dash-c"]])["id"] as? String)
        let site = try await client.createSite([
            "name": "branch-amsterdam", "description": DashboardSeed.hostileDescription, "ha_mode": true,
            "connector_id": primary, "secondary_connector_id": secondary,
        ])
        _ = try await client.createWAN(site: site, ["name": "isp-a", "physport": 1, "priority": 0,
            "static_addressing": ["address": "198.51.100.2/24", "secondary_address": "198.51.100.3/24", "gateway_address": "198.51.100.1"]])
        _ = try await client.createWAN(site: site, ["name": "isp-b", "physport": 2, "priority": 1])
        let office = try await client.createLAN(site: site, haLAN(physport: 3, third: 1, name: "office"))
        let lab = try await client.createLAN(site: site, haLAN(physport: 4, third: 2, name: "lab"))
        let acl = try await client.post("\(Paths.site(site))/acls", [
            "name": "office-to-lab-ssh", "lan_1": ["lan_id": office], "lan_2": ["lan_id": lab, "ports": [22]],
            "protocols": ["tcp"], "unidirectional": true,
        ])
        try #require(acl.status == 200, "create ACL: \(acl.text)")

        var base = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: golden)) as? [String: Any])
        var netdevs = try #require(base["netdevs"] as? [[String: Any]])
        let interface = try #require(netdevs.first?["name"] as? String)
        base["tunnels"] = [["health_state": "healthy", "health_value": 0, "interface_name": "ipsec0", "tunnel_id": "tun-edge-1", "probed_mtu": 1420]]
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
        let posted = try await client.post("\(Paths.telemetry(primary))/snapshots", batch)
        try #require(posted.status == 200, "post snapshots: \(posted.text)")
        let events: [[String: Any]] = [
            ["t": now - 1200, "n": 1, "v": "1.0.0", "e": ["k": "Init"]],
            ["t": now - 1100, "n": 2, "v": "1.0.0", "e": ["k": "Reconcile"]],
            ["t": now - 30, "n": 3, "v": "1.0.0", "e": ["k": "Reconcile"]],
        ]
        let postedEvents = try await client.post("\(Paths.telemetry(primary))/events", events)
        try #require(postedEvents.status == 200, "post events: \(postedEvents.text)")

        let other = server.otherClient
        let otherPaths = "/accounts/\(TestServer.otherAccount)/magic/connectors"
        let created = try await other.post(otherPaths, ["device": ["id": "other-device"]])
        try #require(created.status == 200, "other account connector: \(created.text)")
        let otherConnector = try #require(created.object["id"] as? String)
        return DashboardSeed(
            primary: primary, secondary: secondary, idle: idle, site: site, otherAccountConnector: otherConnector,
            interface: interface, snapshotTimes: times
        )
    }
}
