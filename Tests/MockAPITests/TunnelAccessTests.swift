import ConnectorAPI
import Foundation
@testable import MockAPI
import Testing

/// Who sees what: the write-only PSK, read and write tokens, and account isolation on the tunnel, interconnect
/// and route families.
@Suite("Magic tunnels: secrets and access")
struct TunnelAccessTests {
    @Test("a PSK goes in (or is generated) and only psk_generate's answer ever carries one; the lab reads it from the store")
    func pskIsWriteOnly() async throws {
        try await withServer { server in
            var client = server.client
            let store = server.server.store
            let given = "GivenKey0123456789abcdef"
            var body = ipsecBody()
            body["psk"] = given
            let created = try await client.post(MagicPaths.ipsec, body)
            let id = try #require(created.object["id"] as? String)
            #expect(created.object["psk"] == nil && !created.text.contains(given))
            #expect(try store.ipsecPSK(account: TestServer.account, tunnelID: id) == given)
            #expect((created.object["psk_metadata"] as? [String: Any])?["last_generated_on"] is String)

            let generated = try await client.post("\(MagicPaths.ipsec)/\(id)/psk_generate", [String: Any]())
            let psk = try #require(generated.object["psk"] as? String)
            #expect(psk.count == 32 && psk.unicodeScalars.allSatisfy { IPsecPSKStore.alphabet.contains(Character($0)) })
            #expect(generated.object["ipsec_tunnel_id"] as? String == id)
            #expect((generated.object["psk_metadata"] as? [String: Any])?["last_generated_on"] is String)
            #expect(try store.ipsecPSK(account: TestServer.account, tunnelID: id) == psk)
            let again = try await client.post("\(MagicPaths.ipsec)/\(id)/psk_generate", [String: Any]())
            #expect(again.object["psk"] as? String != psk, "fresh each time")
            let latest = (again.object["psk_metadata"] as? [String: Any])?["last_generated_on"] as? String
            let current = try #require(try store.ipsecPSK(account: TestServer.account, tunnelID: id))

            // Without a psk, a new tunnel still gets one (the edge must authenticate it); it is not returned.
            let generatedOnCreate = try await client.createMagicID(MagicPaths.ipsec, ipsecBody(name: "second", third: 1))
            let other = try #require(try store.ipsecPSK(account: TestServer.account, tunnelID: generatedOnCreate))
            #expect(other.count == 32)
            #expect(try store.ipsecPSK(account: TestServer.otherAccount, tunnelID: id) == nil, "another account's tunnel")

            // No other answer of any route contains a stored key, with either health check target form.
            var answers: [TestResponse] = []
            for header in ["true", "false"] {
                client.extraHeaders["x-magic-new-hc-target"] = header
                answers.append(try await client.get(MagicPaths.ipsec))
                answers.append(try await client.get("\(MagicPaths.ipsec)/\(id)"))
                answers.append(try await client.put("\(MagicPaths.ipsec)/\(id)", ipsecBody()))
                answers.append(try await client.put(MagicPaths.ipsec, ["ipsec_tunnels": [["id": id, "description": header]]]))
            }
            answers.append(try await client.delete("\(MagicPaths.ipsec)/\(generatedOnCreate)"))
            for answer in answers {
                #expect(answer.status == 200 && !answer.text.contains("\"psk\""), "\(answer.text.prefix(300))")
            }
            answers.append(try await client.get("/openapi.json"))
            for answer in answers {
                for secret in [given, psk, current, other] { #expect(!answer.text.contains(secret), "a PSK leaked: \(answer.text.prefix(300))") }
            }
            // psk_metadata tells when the key was last generated (PUTs without a psk leave it).
            let served = try await client.get("\(MagicPaths.ipsec)/\(id)").wrapped("ipsec_tunnel")["psk_metadata"] as? [String: Any]
            #expect(latest != nil && served?["last_generated_on"] as? String == latest)
            // A bad key is refused without being repeated.
            body["psk"] = "bad \"key\" here"
            let refused = try await client.put("\(MagicPaths.ipsec)/\(id)", body)
            expectMCNFailure(refused, status: 422, code: Code.invalidValue, pointer: "/psk")
            #expect(!refused.text.contains("key\\\" here"))
            #expect(try store.ipsecPSK(account: TestServer.account, tunnelID: id) == current)
        }
    }

    @Test("a read token reads, a write token writes; another account sees nothing of these families")
    func accessAndIsolation() async throws {
        try await withServer { server in
            let client = server.client
            let gre = try await client.createMagicID(MagicPaths.gre, greBody())
            let ipsec = try await client.createMagicID(MagicPaths.ipsec, ipsecBody())
            let route = try await client.createMagicID(MagicPaths.routes, ["prefix": "192.168.50.0/24", "nexthop": "10.201.0.1", "priority": 1])
            let interconnect = try #require(
                try server.server.store.addInterconnect(CFInterconnect(interfaceAddress: "10.202.0.0/31", name: "pni"), account: TestServer.account).id
            )
            let items = [
                ("gre_tunnels", gre), ("ipsec_tunnels", ipsec), ("routes", route), ("cf_interconnects", interconnect),
            ]
            let reader = server.readClient
            for (family, id) in items {
                #expect(try await reader.get("\(Paths.account)/\(family)").status == 200)
                #expect(try await reader.get("\(Paths.account)/\(family)/\(id)").status == 200)
                expectMCNFailure(try await reader.put("\(Paths.account)/\(family)/\(id)", [String: Any]()), status: 403, code: Code.forbidden)
            }
            expectMCNFailure(try await reader.post("\(MagicPaths.ipsec)/\(ipsec)/psk_generate", [String: Any]()), status: 403, code: Code.forbidden)
            expectMCNFailure(try await reader.delete(MagicPaths.routes), status: 403, code: Code.forbidden)
            var anonymous = client
            anonymous.token = nil
            expectMCNFailure(try await anonymous.get(MagicPaths.gre), status: 401, code: Code.unauthenticated)

            // The other account, with its own token: my path is 403, its own path has none of my objects.
            let other = server.otherClient
            expectMCNFailure(try await other.get(MagicPaths.gre), status: 403, code: Code.forbidden)
            let theirs = "/accounts/\(TestServer.otherAccount)/magic"
            for (family, id) in items {
                let list = try await other.get("\(theirs)/\(family)")
                #expect(list.status == 200 && !list.text.contains(id), "\(list.text)")
                expectMCNFailure(try await other.get("\(theirs)/\(family)/\(id)"), status: 404, code: Code.notFound)
                expectMCNFailure(try await other.put("\(theirs)/\(family)/\(id)", [String: Any]()), status: family == "cf_interconnects" ? 404 : 400,
                                 code: family == "cf_interconnects" ? Code.notFound : Code.missingField)
            }
            expectMCNFailure(try await other.put("\(theirs)/routes", ["routes": [["id": route, "priority": 2]]]), status: 404, code: Code.notFound)
            expectMCNFailure(try await other.delete("\(theirs)/gre_tunnels/\(gre)"), status: 404, code: Code.notFound)
            expectMCNFailure(try await other.post("\(theirs)/ipsec_tunnels/\(ipsec)/psk_generate", [String: Any]()), status: 404, code: Code.notFound)
            #expect(try await other.delete("\(theirs)/routes").wrappedList("deleted_routes").isEmpty)
            // My tunnels do not constrain the other account: it may reuse names and addresses.
            #expect(try await other.post("\(theirs)/gre_tunnels", greBody()).status == 200)
            // A route there cannot use my tunnel as its nexthop.
            let foreignRoute = try await other.post("\(theirs)/routes", ["prefix": "192.168.50.0/24", "nexthop": "10.201.0.1", "priority": 1])
            expectMCNFailure(foreignRoute, status: 422, code: Code.invalidValue, pointer: "/nexthop")
            // Mine are untouched.
            #expect(try await client.get(MagicPaths.routes).wrappedList("routes").count == 1)
            #expect(try await client.get("\(MagicPaths.gre)/\(gre)").status == 200)
        }
    }
}
