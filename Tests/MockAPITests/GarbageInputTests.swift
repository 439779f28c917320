import Foundation
import Testing

/// Bad input of every shape, at every writing endpoint: always a 4xx envelope, never a 500, nothing stored.
@Suite("Garbage input")
struct GarbageInputTests {
    /// Malformed JSON, wrong top-level types, and wrong types or impossible values for fields every endpoint
    /// here reads (unknown fields are ignored, as the real API does, so they are not garbage).
    static let bodies: [String] = [
        "", "null", "true", "42", #""text""#, "{", "}", #"{"a":}"#, "[1,", "\u{0}", "[]", "[{}]", "[[]]",
        String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000),
        #"{"name": 5, "physport": "two", "device": "yes", "account_app_id": [], "managed_app_id": {}, "e": 1, "t": "now", "notes": false, "lan_1": 3}"#,
        #"{"name": ["x"], "physport": 1e400, "vlan_tag": -1e400, "device": [], "account_app_id": 1, "e": {"k": 1}, "n": -1, "t": null, "timezone": 7, "lan_1": []}"#,
        #"[{"e": {"k": "Init"}, "n": -1, "t": 1}, {"e": {"k": "Init"}, "n": 1, "t": -5}]"#,
        #"{"count_reclaim_failures": -1, "count_reclaimed_paths": 0, "count_record_failed": 0, "count_transmit_failures": 0, "t": 1, "v": "x", "name": 1, "physport": -1, "device": 1, "account_app_id": 2, "notes": 3, "lan_1": 4}"#,
    ]

    @Test func writingEndpointsRejectGarbageWithoutStoringIt() async throws {
        try await withServer { server in
            let client = server.client
            let connector = try await client.createConnector(["device": ["id": "d"]])["id"] as! String
            let site = try await client.createSite(["name": "s"])
            let lan = try await client.createLAN(site: site, lanBody())
            let wan = try await client.createWAN(site: site)
            let targets: [(String, String)] = [
                ("POST", Paths.connectors), ("PUT", Paths.connector(connector)), ("PATCH", Paths.connector(connector)),
                ("POST", Paths.sites), ("PUT", Paths.site(site)), ("PATCH", Paths.site(site)),
                ("POST", "\(Paths.site(site))/lans"), ("PATCH", "\(Paths.site(site))/lans/\(lan)"),
                ("POST", "\(Paths.site(site))/wans"), ("PUT", "\(Paths.site(site))/wans/\(wan)"),
                ("POST", "\(Paths.site(site))/acls"), ("POST", "\(Paths.site(site))/app_configs"),
                ("POST", "\(Paths.telemetry(connector))/snapshots"), ("POST", "\(Paths.telemetry(connector))/events"),
                ("POST", "\(Paths.connector(connector))/attestation/verify"), ("POST", "\(Paths.connector(connector))/attestation/rotate"),
                ("POST", "\(Paths.connector(connector))/pki/csr"), ("PUT", "\(Paths.connector(connector))/upgrade"),
                ("PUT", "\(Paths.connector(connector))/cloudflared_tunnel"),
            ]
            let before = try await snapshotOfEverything(client, site: site, connector: connector)
            let connectorBefore = try await client.get(Paths.connector(connector)).text
            for (method, path) in targets {
                for body in Self.bodies {
                    let response = try await client.send(method, path, raw: body)
                    #expect((400..<500).contains(response.status), "\(method) \(path) with \(body.prefix(40)): \(response.status) \(response.text.prefix(200))")
                    #expect(response.isFailureEnvelope, "\(method) \(path): \(response.text.prefix(200))")
                }
            }
            let after = try await snapshotOfEverything(client, site: site, connector: connector)
            #expect(after == before, "garbage changed stored data")
            #expect(try await client.get(Paths.connector(connector)).text == connectorBefore, "garbage changed the connector")
            #expect(try await client.get("\(Paths.connector(connector))/upgrade").result is NSNull, "garbage set an upgrade offer")
            #expect(try await client.get("\(Paths.connector(connector))/cloudflared_tunnel").result is NSNull, "garbage set a tunnel")
            #expect(try await client.get("\(Paths.connector(connector))/attestation").status == 404, "garbage enrolled a key")
        }
    }

    /// How many of each resource exist, and the telemetry counts.
    private func snapshotOfEverything(_ client: TestClient, site: String, connector: String) async throws -> [Int] {
        var counts: [Int] = []
        counts.append(try await client.get(Paths.connectors).array.count)
        counts.append(try await client.get(Paths.sites).array.count)
        for child in ["lans", "wans", "acls", "app_configs"] {
            counts.append(try await client.get("\(Paths.site(site))/\(child)").array.count)
        }
        counts.append(try await client.get("\(Paths.telemetry(connector))/snapshots?from=0&to=1e12").object["count"] as? Int ?? -1)
        counts.append(try await client.get("\(Paths.telemetry(connector))/events?from=0&to=1e12").object["count"] as? Int ?? -1)
        return counts
    }
}
