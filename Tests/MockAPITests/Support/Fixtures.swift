import Foundation
import Testing

/// Creating the resources the socket tests need (persistence, garbage input), checking each step succeeded.
extension TestClient {
    func createConnector(_ body: [String: Any] = ["device": ["provision_license": true]]) async throws -> [String: Any] {
        let response = try await post(Paths.connectors, body)
        try #require(response.status == 200, "create connector: \(response.text)")
        return response.object
    }

    func createSite(_ body: [String: Any] = [:]) async throws -> String {
        var body = body
        if body["name"] == nil { body["name"] = "site-\(UUID().uuidString.prefix(8))" }
        let response = try await post(Paths.sites, body)
        try #require(response.status == 200, "create site: \(response.text)")
        return try #require(response.object["id"] as? String)
    }

    func createLAN(site: String, _ body: [String: Any]) async throws -> String {
        let response = try await post("\(Paths.site(site))/lans", body)
        try #require(response.status == 200, "create LAN: \(response.text)")
        return try #require(response.array.first?["id"] as? String)
    }

    func createWAN(site: String, _ body: [String: Any] = ["physport": 1]) async throws -> String {
        let response = try await post("\(Paths.site(site))/wans", body)
        try #require(response.status == 200, "create WAN: \(response.text)")
        return try #require(response.array.first?["id"] as? String)
    }
}

/// A LAN body with static addressing 10.0.<third>.1/24 and a DHCP pool.
func lanBody(physport: Int = 2, vlan: Int = 0, third: Int = 1, name: String? = nil) -> [String: Any] {
    var body: [String: Any] = [
        "physport": physport, "vlan_tag": vlan,
        "static_addressing": [
            "address": "10.0.\(third).1/24",
            "dhcp_server": ["dhcp_pool_start": "10.0.\(third).100", "dhcp_pool_end": "10.0.\(third).200"],
        ],
    ]
    if let name { body["name"] = name }
    return body
}

/// The full documented snapshot from fixtures/mock-api/snapshot.json at time `t`.
func snapshotBody(t: Double) throws -> [String: Any] {
    var object = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL("snapshot.json"))) as! [String: Any]
    object["t"] = t
    return object
}

func fixtureURL(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/mock-api/\(name)")
}
