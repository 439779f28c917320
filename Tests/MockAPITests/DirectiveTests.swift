import Crypto
import Foundation
import Testing

/// Operator directives for a device: the upgrade offer (with a bundle the mock serves) and a cloudflared tunnel.
@Suite("Device directives (upgrade offer, bundle, cloudflared tunnel)")
struct DirectiveTests {
    @Test func upgradeOfferAndBundle() async throws {
        try await withServer { server in
            let client = server.client
            let connector = try #require(try await client.createConnector()["id"] as? String)
            let path = Paths.connector(connector) + "/upgrade"
            #expect(try await client.get(path).result is NSNull, "no offer yet: result null")

            let bundle = try await client.send("PUT", path + "/bundle", raw: "bundle bytes v2")
            #expect(bundle.status == 200, "\(bundle.text)")
            let sha256 = SHA256.hash(data: Data("bundle bytes v2".utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(bundle.object["sha256"] as? String == sha256)
            let download = try await client.get(path + "/bundle")
            #expect(download.status == 200 && download.text == "bundle bytes v2")
            #expect(try await server.readClient.get(path + "/bundle").status == 200)

            let offer: [String: Any] = ["version": "2.0.0", "url": server.base + path + "/bundle", "sha256": sha256]
            #expect(try await client.put(path, offer).status == 200)
            #expect(try await client.get(path).object["version"] as? String == "2.0.0")
            var bad = offer
            bad["sha256"] = "ABC"
            expectFailure(try await client.put(path, bad), status: 422, code: Code.invalidValue, mentions: "sha256")
            bad = offer
            bad["url"] = "ftp://example.com/x"
            expectFailure(try await client.put(path, bad), status: 422, code: Code.invalidValue, mentions: "url")
            expectFailure(try await server.readClient.put(path, offer), status: 403, code: Code.forbidden)
            #expect(try await client.delete(path).status == 200)
            #expect(try await client.get(path).result is NSNull)
        }
    }

    @Test func cloudflaredTunnel() async throws {
        try await withServer { server in
            let client = server.client
            let connector = try #require(try await client.createConnector()["id"] as? String)
            let path = Paths.connector(connector) + "/cloudflared_tunnel"
            let tunnel: [String: Any] = [
                "tunnel_id": "c1744f8b-faa1-48a4-9e5c-02ac921467fa", "token": "secret-token",
                "ingress": [["hostname": "app.example.com", "service": "http://10.0.1.10:8080"]],
            ]
            #expect(try await client.put(path, tunnel).status == 200)
            #expect(try await client.get(path).object["tunnel_id"] as? String == "c1744f8b-faa1-48a4-9e5c-02ac921467fa")
            var bad = tunnel
            bad["tunnel_id"] = "not-a-uuid"
            expectFailure(try await client.put(path, bad), status: 422, code: Code.invalidValue, mentions: "tunnel_id")
            #expect(try await client.delete(path).status == 200)
            #expect(try await client.get(path).result is NSNull)
        }
    }
}
