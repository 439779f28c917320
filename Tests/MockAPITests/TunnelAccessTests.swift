import ConnectorAPI
import Foundation
import Hummingbird
import Testing

@testable import MockAPI

/// Who sees what: the write-only PSK, read and write tokens, and account isolation on the tunnel, interconnect
/// and route families.
@Suite("Magic tunnels: secrets and access")
struct TunnelAccessTests {
    /// The answer of psk_generate: the only one that carries a key.
    struct GeneratedPSK: Codable, Sendable {
        var psk: String
        var ipsecTunnelId: String
        var pskMetadata: PSKMetadata
        enum CodingKeys: String, CodingKey {
            case psk
            case ipsecTunnelId = "ipsec_tunnel_id"
            case pskMetadata = "psk_metadata"
        }
    }

    @Test(
        "a PSK goes in (or is generated) and only psk_generate's answer ever carries one; the lab reads it from the store"
    )
    func pskIsWriteOnly() async throws {
        try await withRouter { api in
            let store = api.server.store
            let given = "GivenKey0123456789abcdef"
            var body = ipsec()
            body.psk = given
            let created = try await api.send(.post, MagicPaths.ipsec, body: body)
            let tunnel = try #require(try api.decode(IPsecTunnel.self, created).result, "\(created.text)")
            let id = try #require(tunnel.id)
            #expect(try !api.resultKeys(created).contains("psk") && !created.text.contains(given))
            #expect(try store.ipsecPSK(account: TestServer.account, tunnelID: id) == given)
            #expect(tunnel.pskMetadata?.lastGeneratedOn != nil)

            let generatedResponse = try await api.send(
                .post, "\(MagicPaths.ipsec)/\(id)/psk_generate", body: [String: String]())
            let generated = try #require(
                try api.decode(GeneratedPSK.self, generatedResponse).result, "\(generatedResponse.text)")
            let psk = generated.psk
            #expect(psk.count == 32 && psk.unicodeScalars.allSatisfy { IPsecPSKStore.alphabet.contains(Character($0)) })
            #expect(generated.ipsecTunnelId == id)
            #expect(generated.pskMetadata.lastGeneratedOn != nil)
            #expect(try store.ipsecPSK(account: TestServer.account, tunnelID: id) == psk)
            let again = try api.decode(
                GeneratedPSK.self,
                try await api.send(.post, "\(MagicPaths.ipsec)/\(id)/psk_generate", body: [String: String]())
            ).result
            #expect(again != nil && again?.psk != psk, "fresh each time")
            let latest = again?.pskMetadata.lastGeneratedOn
            let current = try #require(try store.ipsecPSK(account: TestServer.account, tunnelID: id))

            // Without a psk, a new tunnel still gets one (the edge must authenticate it); it is not returned.
            let generatedOnCreate = try await api.createMagicID(MagicPaths.ipsec, ipsec(name: "second", third: 1))
            let other = try #require(try store.ipsecPSK(account: TestServer.account, tunnelID: generatedOnCreate))
            #expect(other.count == 32)
            #expect(
                try store.ipsecPSK(account: TestServer.otherAccount, tunnelID: id) == nil, "another account's tunnel")

            // No other answer of any route contains a stored key, with either health check target form.
            var answers: [RouterResponse] = []
            for header in ["true", "false"] {
                let form = RouterClient.headers(["x-magic-new-hc-target": header])
                answers.append(try await api.send(.get, MagicPaths.ipsec, headers: form))
                answers.append(try await api.send(.get, "\(MagicPaths.ipsec)/\(id)", headers: form))
                answers.append(try await api.send(.put, "\(MagicPaths.ipsec)/\(id)", headers: form, body: ipsec()))
                answers.append(
                    try await api.send(
                        .put, MagicPaths.ipsec, headers: form,
                        body: ["ipsec_tunnels": [IPsecTunnel(id: id, description: header)]]))
            }
            answers.append(try await api.send(.delete, "\(MagicPaths.ipsec)/\(generatedOnCreate)"))
            for answer in answers {
                #expect(answer.status == .ok && !answer.text.contains("\"psk\""), "\(answer.text.prefix(300))")
            }
            answers.append(try await api.send(.get, "/openapi.json"))
            for answer in answers {
                for secret in [given, psk, current, other] {
                    #expect(!answer.text.contains(secret), "a PSK leaked: \(answer.text.prefix(300))")
                }
            }
            // psk_metadata tells when the key was last generated (PUTs without a psk leave it).
            let served = try api.keyed(
                IPsecTunnel.self, "ipsec_tunnel", try await api.send(.get, "\(MagicPaths.ipsec)/\(id)")
            ).result?.value
            #expect(latest != nil && served?.pskMetadata?.lastGeneratedOn == latest)
            // A bad key is refused without being repeated.
            body.psk = "bad \"key\" here"
            let refused = try await api.send(.put, "\(MagicPaths.ipsec)/\(id)", body: body)
            expectMCNFailure(refused, status: .unprocessableContent, code: Code.invalidValue, pointer: "/psk")
            #expect(!refused.text.contains("key\\\" here"))
            #expect(try store.ipsecPSK(account: TestServer.account, tunnelID: id) == current)
        }
    }

    @Test("a read token reads, a write token writes; another account sees nothing of these families")
    func accessAndIsolation() async throws {
        try await withRouter { api in
            let greID = try await api.createMagicID(MagicPaths.gre, gre())
            let ipsecID = try await api.createMagicID(MagicPaths.ipsec, ipsec())
            let route = try await api.createMagicID(
                MagicPaths.routes, MagicRoute(nexthop: "10.201.0.1", prefix: "192.168.50.0/24", priority: 1))
            let interconnect = try #require(
                try api.server.store.addInterconnect(
                    CFInterconnect(interfaceAddress: "10.202.0.0/31", name: "pni"), account: TestServer.account
                ).id
            )
            let items = [
                ("gre_tunnels", greID), ("ipsec_tunnels", ipsecID), ("routes", route),
                ("cf_interconnects", interconnect),
            ]
            let empty = [String: String]()
            let reader = TestServer.readToken
            for (family, id) in items {
                #expect(try await api.send(.get, "\(Paths.account)/\(family)", token: reader).status == .ok)
                #expect(try await api.send(.get, "\(Paths.account)/\(family)/\(id)", token: reader).status == .ok)
                expectMCNFailure(
                    try await api.send(.put, "\(Paths.account)/\(family)/\(id)", token: reader, body: empty),
                    status: .forbidden, code: Code.forbidden)
            }
            expectMCNFailure(
                try await api.send(.post, "\(MagicPaths.ipsec)/\(ipsecID)/psk_generate", token: reader, body: empty),
                status: .forbidden, code: Code.forbidden
            )
            expectMCNFailure(
                try await api.send(.delete, MagicPaths.routes, token: reader), status: .forbidden, code: Code.forbidden)
            expectMCNFailure(
                try await api.send(.get, MagicPaths.gre, token: nil), status: .unauthorized, code: Code.unauthenticated)

            // The other account, with its own token: my path is 403, its own path has none of my objects.
            let other = TestServer.otherWriteToken
            expectMCNFailure(
                try await api.send(.get, MagicPaths.gre, token: other), status: .forbidden, code: Code.forbidden)
            let theirs = "/accounts/\(TestServer.otherAccount)/magic"
            for (family, id) in items {
                let list = try await api.send(.get, "\(theirs)/\(family)", token: other)
                #expect(list.status == .ok && !list.text.contains(id), "\(list.text)")
                expectMCNFailure(
                    try await api.send(.get, "\(theirs)/\(family)/\(id)", token: other), status: .notFound,
                    code: Code.notFound)
                expectMCNFailure(
                    try await api.send(.put, "\(theirs)/\(family)/\(id)", token: other, body: empty),
                    status: family == "cf_interconnects" ? .notFound : .badRequest,
                    code: family == "cf_interconnects" ? Code.notFound : Code.missingField
                )
            }
            expectMCNFailure(
                try await api.send(
                    .put, "\(theirs)/routes", token: other, body: ["routes": [MagicRoute(id: route, priority: 2)]]),
                status: .notFound, code: Code.notFound
            )
            expectMCNFailure(
                try await api.send(.delete, "\(theirs)/gre_tunnels/\(greID)", token: other), status: .notFound,
                code: Code.notFound)
            expectMCNFailure(
                try await api.send(.post, "\(theirs)/ipsec_tunnels/\(ipsecID)/psk_generate", token: other, body: empty),
                status: .notFound,
                code: Code.notFound
            )
            let deleted = try api.keyed(
                [MagicRoute].self, "deleted_routes", try await api.send(.delete, "\(theirs)/routes", token: other))
            #expect(deleted.result?.value == [])
            // My tunnels do not constrain the other account: it may reuse names and addresses.
            #expect(try await api.send(.post, "\(theirs)/gre_tunnels", token: other, body: gre()).status == .ok)
            // A route there cannot use my tunnel as its nexthop.
            let foreignRoute = try await api.send(
                .post, "\(theirs)/routes", token: other,
                body: MagicRoute(nexthop: "10.201.0.1", prefix: "192.168.50.0/24", priority: 1)
            )
            expectMCNFailure(foreignRoute, status: .unprocessableContent, code: Code.invalidValue, pointer: "/nexthop")
            // Mine are untouched.
            #expect(
                try api.keyed([MagicRoute].self, "routes", try await api.send(.get, MagicPaths.routes)).result?.value?
                    .count == 1)
            #expect(try await api.send(.get, "\(MagicPaths.gre)/\(greID)").status == .ok)
        }
    }
}
