import ConnectorAPI
import Crypto
import Foundation
import Hummingbird
import Testing

/// Operator directives for a device: the upgrade offer (with a bundle the mock serves) and a cloudflared tunnel.
@Suite("Device directives (upgrade offer, bundle, cloudflared tunnel)")
struct DirectiveTests {
    /// The bundle PUT's answer.
    struct StoredBundle: Codable, Sendable {
        let sha256: String
        let path: String
    }

    @Test func upgradeOfferAndBundle() async throws {
        try await withRouter { api in
            let connector = try await api.createConnector(ConnectorTests.licensed).id
            let path = Paths.connector(connector) + "/upgrade"
            let none = try api.decode(UpgradeOffer.self, try await api.send(.get, path))
            #expect(none.success && none.result == nil, "no offer yet: result null")

            let bundle = try api.decode(StoredBundle.self, try await api.send(.put, path + "/bundle", raw: Data("bundle bytes v2".utf8)))
            let sha256 = SHA256.hash(data: Data("bundle bytes v2".utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(bundle.result?.sha256 == sha256)
            let download = try await api.send(.get, path + "/bundle")
            #expect(download.status == .ok && String(buffer: download.body) == "bundle bytes v2")
            let readDownload = try await api.send(.get, path + "/bundle", token: TestServer.readToken)
            #expect(readDownload.status == .ok)

            let offer = UpgradeOffer(version: "2.0.0", url: "http://127.0.0.1:8787/client/v4\(path)/bundle", sha256: sha256)
            #expect(try api.decode(UpgradeOffer.self, try await api.send(.put, path, body: offer)).result == offer)
            #expect(try api.decode(UpgradeOffer.self, try await api.send(.get, path)).result?.version == "2.0.0")
            var bad = offer
            bad.sha256 = "ABC"
            expectFailure(try await api.send(.put, path, body: bad), status: .unprocessableContent, code: Code.invalidValue, mentions: "sha256")
            bad = offer
            bad.url = "ftp://example.com/x"
            expectFailure(try await api.send(.put, path, body: bad), status: .unprocessableContent, code: Code.invalidValue, mentions: "url")
            expectFailure(try await api.send(.put, path, token: TestServer.readToken, body: offer), status: .forbidden, code: Code.forbidden)
            #expect(try await api.send(.delete, path).status == .ok)
            #expect(try api.decode(UpgradeOffer.self, try await api.send(.get, path)).result == nil)
        }
    }

    @Test func cloudflaredTunnel() async throws {
        try await withRouter { api in
            let connector = try await api.createConnector(ConnectorTests.licensed).id
            let path = Paths.connector(connector) + "/cloudflared_tunnel"
            let tunnel = CloudflaredTunnelConfig(
                tunnelId: "c1744f8b-faa1-48a4-9e5c-02ac921467fa", token: "secret-token",
                ingress: [CloudflaredIngressRule(hostname: "app.example.com", service: "http://10.0.1.10:8080")]
            )
            #expect(try await api.send(.put, path, body: tunnel).status == .ok)
            #expect(try api.decode(CloudflaredTunnelConfig.self, try await api.send(.get, path)).result == tunnel)
            var bad = tunnel
            bad.tunnelId = "not-a-uuid"
            expectFailure(try await api.send(.put, path, body: bad), status: .unprocessableContent, code: Code.invalidValue, mentions: "tunnel_id")
            #expect(try await api.send(.delete, path).status == .ok)
            #expect(try api.decode(CloudflaredTunnelConfig.self, try await api.send(.get, path)).result == nil)
        }
    }
}
