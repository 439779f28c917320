import ConnectorAPI
import Foundation
import Hummingbird
import Testing

@testable import MockAPI

/// GRE and IPsec tunnels and interconnects: the documented wrapped shapes, validation, the health check target
/// forms, `?validate_only=true`, and the write-only PSK.
@Suite("Magic tunnels")
struct TunnelTests {
    /// A tunnel whose `health_check.target` must be the plain string form (the typed target accepts either).
    struct PlainTarget: Codable, Sendable {
        struct Check: Codable, Sendable { var target: String }
        var healthCheck: Check
        enum CodingKeys: String, CodingKey { case healthCheck = "health_check" }
    }

    /// The answer of psk_generate.
    struct GeneratedPSK: Codable, Sendable { var psk: String }

    static let newTarget = RouterClient.headers(["x-magic-new-hc-target": "true"])
    static let oldTarget = RouterClient.headers(["x-magic-new-hc-target": "false"])

    @Test("GRE tunnels: create answers the tunnel, the rest wrap it as documented; defaults filled")
    func greShapes() async throws {
        try await withRouter { api in
            let response = try await api.send(.post, MagicPaths.gre, body: gre())
            let created = try #require(try api.decode(GRETunnel.self, response).result, "\(response.text)")
            let id = try #require(created.id)
            #expect(created.mtu == 1476 && created.ttl == 64)
            #expect(created.createdOn != nil && created.modifiedOn != nil)
            let check = try #require(created.healthCheck)
            #expect(check.rate == "mid" && check.type == "reply" && check.direction == "bidirectional")
            #expect(check.enabled == true)
            #expect(
                try api.decode(PlainTarget.self, response).result?.healthCheck.target == "198.51.100.2",
                "the target defaults to the customer endpoint")

            let list = try api.keyed([GRETunnel].self, "gre_tunnels", try await api.send(.get, MagicPaths.gre)).result?
                .value
            #expect(list?.map(\.id) == [id])
            #expect(
                try api.keyed(GRETunnel.self, "gre_tunnel", try await api.send(.get, "\(MagicPaths.gre)/\(id)")).result?
                    .value?.name == "GRE_1")
            var body = gre()
            body.description = "ISP X"
            let put = try #require(
                try api.keyed(
                    GRETunnel.self, "modified_gre_tunnel",
                    try await api.send(.put, "\(MagicPaths.gre)/\(id)", body: body)
                ).result)
            #expect(put.modified == true)
            #expect(put.value?.description == "ISP X")
            #expect(put.value?.createdOn == created.createdOn)
            let deleted = try api.keyed(
                GRETunnel.self, "deleted_gre_tunnel", try await api.send(.delete, "\(MagicPaths.gre)/\(id)")
            ).result
            #expect(deleted?.deleted == true && deleted?.value?.id == id)
            expectMCNFailure(
                try await api.send(.get, "\(MagicPaths.gre)/\(id)"), status: .notFound, code: Code.notFound)
            expectFailure(
                try await api.send(.patch, "\(MagicPaths.gre)/\(id)", body: body), status: .methodNotAllowed,
                code: Code.methodNotAllowed)
        }
    }

    @Test("every rule is a 422 (or a 400 for a missing field) with the field as source.pointer; nothing is stored")
    func validation() async throws {
        try await withRouter { api in
            let cases: [(String, [String: Any], String, Int)] = [
                (MagicPaths.gre, ["interface_address": "10.200.0.0/24"], "/interface_address", 422),
                (MagicPaths.gre, ["interface_address": "8.8.8.0/31"], "/interface_address", 422),
                (MagicPaths.gre, ["interface_address": "10.200.0.0/30"], "/interface_address", 422),
                (MagicPaths.gre, ["interface_address": "10.200.0.1"], "/interface_address", 422),
                (MagicPaths.gre, ["interface_address6": "2606:54c1:7::/64"], "/interface_address6", 422),
                (MagicPaths.gre, ["interface_address6": "10.0.0.0/31"], "/interface_address6", 422),
                (MagicPaths.gre, ["cloudflare_gre_endpoint": "0.0.0.0"], "/cloudflare_gre_endpoint", 422),
                (MagicPaths.gre, ["customer_gre_endpoint": "224.0.0.5"], "/customer_gre_endpoint", 422),
                (MagicPaths.gre, ["customer_gre_endpoint": "255.255.255.255"], "/customer_gre_endpoint", 422),
                (MagicPaths.gre, ["customer_gre_endpoint": "127.0.0.1"], "/customer_gre_endpoint", 422),
                (MagicPaths.gre, ["customer_gre_endpoint": "example.com"], "/customer_gre_endpoint", 422),
                (MagicPaths.gre, ["name": "sixteen_chars_xx"], "/name", 422),
                (MagicPaths.gre, ["name": "GRE 1"], "/name", 422),
                (MagicPaths.gre, ["mtu": 575], "/mtu", 422),
                (MagicPaths.gre, ["ttl": 0], "/ttl", 422),
                (MagicPaths.gre, ["mtu": 1400.5], "/mtu", 422),
                (MagicPaths.gre, ["health_check": ["rate": "fast"]], "/health_check/rate", 422),
                (MagicPaths.gre, ["health_check": ["type": "ping"]], "/health_check/type", 422),
                (MagicPaths.gre, ["health_check": ["direction": "sideways"]], "/health_check/direction", 422),
                (MagicPaths.gre, ["health_check": ["target": "10.0.0.300"]], "/health_check/target", 422),
                (MagicPaths.gre, ["bgp": ["customer_asn": 65000, "md5_key": "what?"]], "/bgp/md5_key", 422),
                (MagicPaths.gre, ["bgp": ["customer_asn": 0]], "/bgp/customer_asn", 422),
                (MagicPaths.gre, ["bgp": ["md5_key": "k"]], "/bgp/customer_asn", 400),
                (MagicPaths.ipsec, ["name": "a\nb"], "/name", 422),
                (MagicPaths.ipsec, ["psk": "short"], "/psk", 422),
                (MagicPaths.ipsec, ["psk": "has a space in it"], "/psk", 422),
                (MagicPaths.ipsec, ["customer_endpoint": "169.254.1.1"], "/customer_endpoint", 422),
                (
                    MagicPaths.ipsec, ["custom_remote_identities": ["fqdn_id": "evil.example.com"]],
                    "/custom_remote_identities/fqdn_id", 422
                ),
            ]
            // Bodies of the wrong shape (a fraction for an integer) no API type holds: built as JSON objects.
            for (collection, change, pointer, status) in cases {
                var body = collection == MagicPaths.gre ? greBody() : ipsecBody()
                body.merge(change) { $1 }
                let code = status == 400 ? Code.missingField : Code.invalidValue
                expectMCNFailure(
                    try await api.send(.post, collection, raw: try jsonData(body)), status: .init(code: status),
                    code: code, pointer: pointer
                )
            }
            for (collection, field) in [
                (MagicPaths.gre, "cloudflare_gre_endpoint"), (MagicPaths.gre, "customer_gre_endpoint"),
                (MagicPaths.gre, "interface_address"), (MagicPaths.gre, "name"),
                (MagicPaths.ipsec, "cloudflare_endpoint"),
                (MagicPaths.ipsec, "interface_address"), (MagicPaths.ipsec, "name"),
            ] {
                var body = collection == MagicPaths.gre ? greBody() : ipsecBody()
                body[field] = nil
                expectMCNFailure(
                    try await api.send(.post, collection, raw: try jsonData(body)), status: .badRequest,
                    code: Code.missingField, pointer: "/\(field)"
                )
            }
            // The error item is the documented ResponseInfo, pointing at the family's reference.
            let failure = try await api.send(.post, MagicPaths.ipsec, body: IPsecTunnel(name: "x"))
            #expect(
                try MCNFailure(failure).errors.first?.documentationUrl?.hasSuffix("/ipsec_tunnels/") == true,
                "\(failure.text)")
            #expect(
                try api.keyed([GRETunnel].self, "gre_tunnels", try await api.send(.get, MagicPaths.gre)).result?.value
                    == [])
            #expect(
                try api.keyed([IPsecTunnel].self, "ipsec_tunnels", try await api.send(.get, MagicPaths.ipsec)).result?
                    .value == [])
        }
    }

    @Test("names are unique across the account's tunnels; interface prefixes overlap no tunnel and no site LAN")
    func accountWideRules() async throws {
        try await withRouter { api in
            let site = try await api.createSite()
            _ = try await api.createLAN(site: site, lan(third: 1))
            let greID = try await api.createMagicID(MagicPaths.gre, gre(name: "edge1", third: 0))
            try api.server.store.addInterconnect(
                CFInterconnect(interfaceAddress: "10.202.0.0/31", name: "pni_ord"), account: TestServer.account)
            var same = ipsec(name: "edge1", third: 0)
            expectMCNFailure(
                try await api.send(.post, MagicPaths.ipsec, body: same), status: .conflict, code: Code.conflict,
                mentions: greID, pointer: nil)
            same.name = "pni_ord"
            expectMCNFailure(
                try await api.send(.post, MagicPaths.ipsec, body: same), status: .conflict, code: Code.conflict,
                mentions: "interconnect")
            for (address, other) in [
                ("10.200.0.1/31", greID), ("10.202.0.0/31", "interconnect"), ("10.0.1.8/31", "LAN"),
            ] {
                var body = ipsec(name: "other")
                body.interfaceAddress = Parsed(address)
                expectMCNFailure(
                    try await api.send(.post, MagicPaths.ipsec, body: body), status: .conflict, code: Code.conflict,
                    mentions: other)
            }
            var v6 = gre(name: "v6a", third: 5)
            v6.interfaceAddress6 = "2606:54c1:7:0:a9fe:12d2:1:200/127"
            #expect(try await api.send(.post, MagicPaths.gre, body: v6).status == .ok)
            v6 = gre(name: "v6b", third: 6)
            v6.interfaceAddress6 = "2606:54c1:7:0:a9fe:12d2:1:201/127"
            expectMCNFailure(
                try await api.send(.post, MagicPaths.gre, body: v6), status: .conflict, code: Code.conflict,
                mentions: "interface_address6")
            // A tunnel keeps its own name and address on PUT.
            #expect(
                try await api.send(.put, "\(MagicPaths.gre)/\(greID)", body: gre(name: "edge1", third: 0)).status == .ok
            )
        }
    }

    @Test(
        "health_check.target: a string, or {effective, saved} with x-magic-new-hc-target: true; either form is accepted"
    )
    func healthCheckTargetForms() async throws {
        try await withRouter { api in
            let id = try await api.createMagicID(MagicPaths.ipsec, ipsec())
            let plain = try await api.send(.get, "\(MagicPaths.ipsec)/\(id)")
            #expect(
                try api.keyed(PlainTarget.self, "ipsec_tunnel", plain).result?.value?.healthCheck.target
                    == "198.51.100.7")
            let object = try await api.send(.get, "\(MagicPaths.ipsec)/\(id)", headers: Self.newTarget)
            let target = try api.keyed(IPsecTunnel.self, "ipsec_tunnel", object).result?.value?.healthCheck?.target
            #expect(target == HealthCheckTarget(effective: "198.51.100.7", saved: ""), "\(object.text)")
            var body = ipsec()
            body.healthCheck = TunnelHealthCheck(
                target: HealthCheckTarget(effective: "ignored", saved: "10.0.1.10"), type: "request")
            let put = try await api.send(.put, "\(MagicPaths.ipsec)/\(id)", headers: Self.newTarget, body: body)
            let saved = try api.keyed(IPsecTunnel.self, "modified_ipsec_tunnel", put).result?.value?.healthCheck?.target
            #expect(saved == HealthCheckTarget(effective: "10.0.1.10", saved: "10.0.1.10"), "\(put.text)")
            let list = try api.keyed(
                [PlainTarget].self, "ipsec_tunnels", try await api.send(.get, MagicPaths.ipsec, headers: Self.oldTarget)
            )
            #expect(list.result?.value?.first?.healthCheck.target == "10.0.1.10")
            // An interconnect has no customer endpoint: its default target is the far end of its /31.
            try api.server.store.addInterconnect(
                CFInterconnect(id: "cni1", interfaceAddress: "10.202.0.0/31", name: "pni"), account: TestServer.account)
            let interconnect = try await api.send(.get, "\(MagicPaths.interconnects)/cni1", headers: Self.oldTarget)
            #expect(
                try api.keyed(PlainTarget.self, "interconnect", interconnect).result?.value?.healthCheck.target
                    == "10.202.0.1")
        }
    }

    @Test("?validate_only=true runs every check and answers as if done, but keeps nothing")
    func validateOnly() async throws {
        try await withRouter { api in
            let dry = try await api.send(.post, "\(MagicPaths.gre)?validate_only=true", body: gre())
            #expect(dry.status == .ok && (try? api.decode(GRETunnel.self, dry).result?.id) != nil, "\(dry.text)")
            #expect(
                try api.keyed([GRETunnel].self, "gre_tunnels", try await api.send(.get, MagicPaths.gre)).result?.value
                    == [])
            var bad = gre()
            bad.mtu = 10
            expectMCNFailure(
                try await api.send(.post, "\(MagicPaths.gre)?validate_only=true", body: bad),
                status: .unprocessableContent,
                code: Code.invalidValue, pointer: "/mtu"
            )
            expectMCNFailure(
                try await api.send(.post, "\(MagicPaths.gre)?validate_only=maybe", body: gre()), status: .badRequest,
                code: Code.invalidQuery)

            let id = try await api.createMagicID(MagicPaths.ipsec, ipsec())
            let before = try await api.send(.get, "\(MagicPaths.ipsec)/\(id)").text
            let psk = try api.server.store.ipsecPSK(account: TestServer.account, tunnelID: id)
            var body = ipsec()
            body.description = "dry"
            body.psk = "AnotherKey12345678"
            let put = try await api.send(.put, "\(MagicPaths.ipsec)/\(id)?validate_only=true", body: body)
            #expect(try api.keyed(IPsecTunnel.self, "modified_ipsec_tunnel", put).result?.value?.description == "dry")
            let bulk = try await api.send(
                .put, "\(MagicPaths.ipsec)?validate_only=true",
                body: ["ipsec_tunnels": [IPsecTunnel(id: id, description: "dry")]])
            #expect(
                try bulk.status == .ok
                    && (api.keyed([IPsecTunnel].self, "modified_ipsec_tunnels", bulk).result?.modified) == true,
                "\(bulk.text)")
            let generated = try await api.send(
                .post, "\(MagicPaths.ipsec)/\(id)/psk_generate?validate_only=true", body: [String: String]())
            #expect(try api.decode(GeneratedPSK.self, generated).result?.psk.count == 32)
            let deleted = try await api.send(.delete, "\(MagicPaths.ipsec)/\(id)?validate_only=true")
            #expect(try api.keyed(IPsecTunnel.self, "deleted_ipsec_tunnel", deleted).result?.deleted == true)
            let after = try await api.send(.get, "\(MagicPaths.ipsec)/\(id)").text
            #expect(after == before, "nothing changed: \(after)")
            #expect(try api.server.store.ipsecPSK(account: TestServer.account, tunnelID: id) == psk)
        }
    }

    @Test("bulk PUT is all or nothing and names the item at fault")
    func bulkUpdate() async throws {
        try await withRouter { api in
            let first = try await api.createMagicID(MagicPaths.gre, gre(name: "a", third: 0))
            let second = try await api.createMagicID(MagicPaths.gre, gre(name: "b", third: 1))
            let bad = try await api.send(
                .put, MagicPaths.gre,
                body: ["gre_tunnels": [GRETunnel(id: first, description: "changed"), GRETunnel(id: second, ttl: 300)]]
            )
            expectMCNFailure(
                bad, status: .unprocessableContent, code: Code.invalidValue, mentions: "gre_tunnels[1].ttl",
                pointer: "/gre_tunnels/1/ttl")
            let kept = try api.keyed(
                GRETunnel.self, "gre_tunnel", try await api.send(.get, "\(MagicPaths.gre)/\(first)")
            ).result
            #expect(kept?.valueKeys?.contains("name") == true && kept?.valueKeys?.contains("description") == false)
            // Later items see earlier ones: swapping two names in one body passes through a clash.
            let clash = try await api.send(
                .put, MagicPaths.gre,
                body: ["gre_tunnels": [GRETunnel(id: first, name: "b"), GRETunnel(id: second, name: "a")]])
            expectMCNFailure(clash, status: .conflict, code: Code.conflict, mentions: "gre_tunnels[0].name")
            expectMCNFailure(
                try await api.send(.put, MagicPaths.gre, body: ["gre_tunnels": [GRETunnel(description: "no id")]]),
                status: .badRequest,
                code: Code.missingField, pointer: "/gre_tunnels/0/id"
            )
            expectMCNFailure(
                try await api.send(.put, MagicPaths.gre, body: ["gre_tunnels": [GRETunnel(id: "nope")]]),
                status: .notFound, code: Code.notFound)
            expectMCNFailure(
                try await api.send(.put, MagicPaths.gre, body: ["tunnels": [GRETunnel]()]), status: .badRequest,
                code: Code.missingField)
            let ok = try await api.send(
                .put, MagicPaths.gre,
                body: ["gre_tunnels": [GRETunnel(id: first, description: "x"), GRETunnel(id: second, mtu: 1400)]])
            let modified = try api.keyed([GRETunnel].self, "modified_gre_tunnels", ok).result
            #expect(modified?.modified == true && modified?.value?.count == 2, "\(ok.text)")
            let empty = try await api.send(.put, MagicPaths.gre, body: ["gre_tunnels": [GRETunnel]()])
            #expect(try api.keyed([GRETunnel].self, "modified_gre_tunnels", empty).result?.modified == false)
        }
    }

    @Test("interconnects: seeded through the store, listed, read and updated (single and bulk); no POST or DELETE")
    func interconnects() async throws {
        try await withRouter { api in
            let seeded = try api.server.store.addInterconnect(
                CFInterconnect(
                    coloName: "pni_ord", gre: CFInterconnectGRE(cloudflareEndpoint: "203.0.113.9"),
                    interfaceAddress: "10.202.0.0/31", name: "pni_ord"),
                account: TestServer.account
            )
            let id = try #require(seeded.id)
            #expect(throws: APIError.self) {
                try api.server.store.addInterconnect(
                    CFInterconnect(interfaceAddress: "10.202.0.1/31", name: "clash"), account: TestServer.account)
            }
            let list = try api.keyed(
                [CFInterconnect].self, "interconnects", try await api.send(.get, MagicPaths.interconnects)
            ).result?.value
            #expect(list?.map(\.id) == [id])
            let one = try api.keyed(
                CFInterconnect.self, "interconnect", try await api.send(.get, "\(MagicPaths.interconnects)/\(id)")
            ).result?.value
            #expect(one?.coloName == "pni_ord")
            let change = CFInterconnect(coloName: "changed", description: "to ORD", mtu: 1400)
            let put = try api.keyed(
                CFInterconnect.self, "modified_interconnect",
                try await api.send(.put, "\(MagicPaths.interconnects)/\(id)", body: change)
            ).result
            #expect(put?.modified == true && put?.value?.description == "to ORD" && put?.value?.mtu == 1400)
            #expect(put?.value?.coloName == "pni_ord", "colo_name is Cloudflare's")
            expectMCNFailure(
                try await api.send(.put, "\(MagicPaths.interconnects)/\(id)", body: CFInterconnect(mtu: 100)),
                status: .unprocessableContent,
                code: Code.invalidValue, pointer: "/mtu"
            )
            let bulk = try await api.send(
                .put, MagicPaths.interconnects, body: ["interconnects": [CFInterconnect(id: id, name: "renamed")]])
            #expect(
                try api.keyed([CFInterconnect].self, "modified_interconnects", bulk).result?.value?.first?.name
                    == "renamed", "\(bulk.text)")
            expectFailure(
                try await api.send(.post, MagicPaths.interconnects, body: CFInterconnect(name: "x")),
                status: .methodNotAllowed, code: Code.methodNotAllowed)
            expectFailure(
                try await api.send(.delete, "\(MagicPaths.interconnects)/\(id)"), status: .methodNotAllowed,
                code: Code.methodNotAllowed)
        }
    }

    @Test("the mock's OpenAPI document lists every operation of the four families, as documented (not additions)")
    func openAPI() async throws {
        try await withRouter { api in
            let document = try await api.openAPIDocument()
            let magic = "/accounts/{account_id}/magic"
            let expected: [(String, [String])] = [
                ("gre_tunnels", ["get", "post", "put"]), ("gre_tunnels/{gre_tunnel_id}", ["get", "put", "delete"]),
                ("ipsec_tunnels", ["get", "post", "put"]),
                ("ipsec_tunnels/{ipsec_tunnel_id}", ["get", "put", "delete"]),
                ("ipsec_tunnels/{ipsec_tunnel_id}/psk_generate", ["post"]),
                ("cf_interconnects", ["get", "put"]), ("cf_interconnects/{cf_interconnect_id}", ["get", "put"]),
                ("routes", ["get", "post", "put", "delete"]), ("routes/{route_id}", ["get", "put", "delete"]),
            ]
            for (path, methods) in expected {
                #expect(document.keys("\(magic)/\(path)") == Set(methods), "\(path)")
                for method in methods {
                    let operation = document.operation("\(magic)/\(path)", method)
                    #expect(operation != nil && operation?.addition == nil, "\(method) \(path)")
                }
            }
        }
    }
}
