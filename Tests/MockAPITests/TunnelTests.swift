import ConnectorAPI
import Foundation
@testable import MockAPI
import Testing

/// GRE and IPsec tunnels and interconnects: the documented wrapped shapes, validation, the health check target
/// forms, `?validate_only=true`, and the write-only PSK.
@Suite("Magic tunnels")
struct TunnelTests {
    @Test("GRE tunnels: create answers the tunnel, the rest wrap it as documented; defaults filled")
    func greShapes() async throws {
        try await withServer { server in
            let client = server.client
            let created = try await client.createMagic(MagicPaths.gre, greBody())
            let id = try #require(created["id"] as? String)
            #expect(created["mtu"] as? Int == 1476 && created["ttl"] as? Int == 64)
            #expect(created["created_on"] is String && created["modified_on"] is String)
            let check = try #require(created["health_check"] as? [String: Any])
            #expect(check["rate"] as? String == "mid" && check["type"] as? String == "reply" && check["direction"] as? String == "bidirectional")
            #expect(check["enabled"] as? Bool == true && check["target"] as? String == "198.51.100.2", "the target defaults to the customer endpoint")

            let list = try await client.get(MagicPaths.gre)
            #expect(list.wrappedList("gre_tunnels").map { $0["id"] as? String } == [id])
            #expect(try await client.get("\(MagicPaths.gre)/\(id)").wrapped("gre_tunnel")["name"] as? String == "GRE_1")
            var body = greBody()
            body["description"] = "ISP X"
            let put = try await client.put("\(MagicPaths.gre)/\(id)", body)
            #expect(put.object["modified"] as? Bool == true)
            #expect(put.wrapped("modified_gre_tunnel")["description"] as? String == "ISP X")
            #expect(put.wrapped("modified_gre_tunnel")["created_on"] as? String == created["created_on"] as? String)
            let deleted = try await client.delete("\(MagicPaths.gre)/\(id)")
            #expect(deleted.object["deleted"] as? Bool == true && deleted.wrapped("deleted_gre_tunnel")["id"] as? String == id)
            expectMCNFailure(try await client.get("\(MagicPaths.gre)/\(id)"), status: 404, code: Code.notFound)
            expectFailure(try await client.send("PATCH", "\(MagicPaths.gre)/\(id)", json: body), status: 405, code: Code.methodNotAllowed)
        }
    }

    @Test("every rule is a 422 (or a 400 for a missing field) with the field as source.pointer; nothing is stored")
    func validation() async throws {
        try await withServer { server in
            let client = server.client
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
                (MagicPaths.ipsec, ["custom_remote_identities": ["fqdn_id": "evil.example.com"]], "/custom_remote_identities/fqdn_id", 422),
            ]
            for (collection, change, pointer, status) in cases {
                var body = collection == MagicPaths.gre ? greBody() : ipsecBody()
                body.merge(change) { $1 }
                let code = status == 400 ? Code.missingField : Code.invalidValue
                expectMCNFailure(try await client.post(collection, body), status: status, code: code, pointer: pointer)
            }
            for (collection, field) in [(MagicPaths.gre, "cloudflare_gre_endpoint"), (MagicPaths.gre, "customer_gre_endpoint"),
                                        (MagicPaths.gre, "interface_address"), (MagicPaths.gre, "name"), (MagicPaths.ipsec, "cloudflare_endpoint"),
                                        (MagicPaths.ipsec, "interface_address"), (MagicPaths.ipsec, "name")] {
                var body = collection == MagicPaths.gre ? greBody() : ipsecBody()
                body[field] = nil
                expectMCNFailure(try await client.post(collection, body), status: 400, code: Code.missingField, pointer: "/\(field)")
            }
            // The error item is the documented ResponseInfo, pointing at the family's reference.
            let failure = try await client.post(MagicPaths.ipsec, ["name": "x"])
            #expect((failure.errors.first?["documentation_url"] as? String)?.hasSuffix("/ipsec_tunnels/") == true, "\(failure.text)")
            #expect(try await client.get(MagicPaths.gre).wrappedList("gre_tunnels").isEmpty)
            #expect(try await client.get(MagicPaths.ipsec).wrappedList("ipsec_tunnels").isEmpty)
        }
    }

    @Test("names are unique across the account's tunnels; interface prefixes overlap no tunnel and no site LAN")
    func accountWideRules() async throws {
        try await withServer { server in
            let client = server.client
            let site = try await client.createSite()
            _ = try await client.createLAN(site: site, lanBody(third: 1))
            let gre = try await client.createMagicID(MagicPaths.gre, greBody(name: "edge1", third: 0))
            try server.server.store.addInterconnect(CFInterconnect(interfaceAddress: "10.202.0.0/31", name: "pni_ord"), account: TestServer.account)
            var same = ipsecBody(name: "edge1", third: 0)
            expectMCNFailure(try await client.post(MagicPaths.ipsec, same), status: 409, code: Code.conflict, mentions: gre, pointer: nil)
            same["name"] = "pni_ord"
            expectMCNFailure(try await client.post(MagicPaths.ipsec, same), status: 409, code: Code.conflict, mentions: "interconnect")
            for (address, other) in [("10.200.0.1/31", gre), ("10.202.0.0/31", "interconnect"), ("10.0.1.8/31", "LAN")] {
                var body = ipsecBody(name: "other")
                body["interface_address"] = address
                expectMCNFailure(try await client.post(MagicPaths.ipsec, body), status: 409, code: Code.conflict, mentions: other)
            }
            var v6 = greBody(name: "v6a", third: 5)
            v6["interface_address6"] = "2606:54c1:7:0:a9fe:12d2:1:200/127"
            #expect(try await client.post(MagicPaths.gre, v6).status == 200)
            v6 = greBody(name: "v6b", third: 6)
            v6["interface_address6"] = "2606:54c1:7:0:a9fe:12d2:1:201/127"
            expectMCNFailure(try await client.post(MagicPaths.gre, v6), status: 409, code: Code.conflict, mentions: "interface_address6")
            // A tunnel keeps its own name and address on PUT.
            #expect(try await client.put("\(MagicPaths.gre)/\(gre)", greBody(name: "edge1", third: 0)).status == 200)
        }
    }

    @Test("health_check.target: a string, or {effective, saved} with x-magic-new-hc-target: true; either form is accepted")
    func healthCheckTargetForms() async throws {
        try await withServer { server in
            var client = server.client
            let id = try await client.createMagicID(MagicPaths.ipsec, ipsecBody())
            let plain = try await client.get("\(MagicPaths.ipsec)/\(id)").wrapped("ipsec_tunnel")
            #expect((plain["health_check"] as? [String: Any])?["target"] as? String == "198.51.100.7")
            client.extraHeaders["x-magic-new-hc-target"] = "true"
            let object = try await client.get("\(MagicPaths.ipsec)/\(id)").wrapped("ipsec_tunnel")
            let target = (object["health_check"] as? [String: Any])?["target"] as? [String: Any]
            #expect(target?["effective"] as? String == "198.51.100.7" && target?["saved"] as? String == "")
            var body = ipsecBody()
            body["health_check"] = ["type": "request", "target": ["saved": "10.0.1.10", "effective": "ignored"]]
            let put = try await client.put("\(MagicPaths.ipsec)/\(id)", body)
            let saved = (put.wrapped("modified_ipsec_tunnel")["health_check"] as? [String: Any])?["target"] as? [String: Any]
            #expect(saved?["effective"] as? String == "10.0.1.10" && saved?["saved"] as? String == "10.0.1.10", "\(put.text)")
            client.extraHeaders["x-magic-new-hc-target"] = "false"
            let list = try await client.get(MagicPaths.ipsec).wrappedList("ipsec_tunnels")
            #expect((list.first?["health_check"] as? [String: Any])?["target"] as? String == "10.0.1.10")
            // An interconnect has no customer endpoint: its default target is the far end of its /31.
            try server.server.store.addInterconnect(CFInterconnect(id: "cni1", interfaceAddress: "10.202.0.0/31", name: "pni"), account: TestServer.account)
            let interconnect = try await client.get("\(MagicPaths.interconnects)/cni1").wrapped("interconnect")
            #expect((interconnect["health_check"] as? [String: Any])?["target"] as? String == "10.202.0.1")
        }
    }

    @Test("?validate_only=true runs every check and answers as if done, but keeps nothing")
    func validateOnly() async throws {
        try await withServer { server in
            let client = server.client
            let dry = try await client.post("\(MagicPaths.gre)?validate_only=true", greBody())
            #expect(dry.status == 200 && dry.object["id"] is String, "\(dry.text)")
            #expect(try await client.get(MagicPaths.gre).wrappedList("gre_tunnels").isEmpty)
            var bad = greBody()
            bad["mtu"] = 10
            expectMCNFailure(try await client.post("\(MagicPaths.gre)?validate_only=true", bad), status: 422, code: Code.invalidValue, pointer: "/mtu")
            expectMCNFailure(try await client.post("\(MagicPaths.gre)?validate_only=maybe", greBody()), status: 400, code: Code.invalidQuery)

            let id = try await client.createMagicID(MagicPaths.ipsec, ipsecBody())
            let before = try await client.get("\(MagicPaths.ipsec)/\(id)").wrapped("ipsec_tunnel")
            let psk = try server.server.store.ipsecPSK(account: TestServer.account, tunnelID: id)
            var body = ipsecBody()
            body["description"] = "dry"
            body["psk"] = "AnotherKey12345678"
            #expect(try await client.put("\(MagicPaths.ipsec)/\(id)?validate_only=true", body).wrapped("modified_ipsec_tunnel")["description"] as? String == "dry")
            let bulk = try await client.put("\(MagicPaths.ipsec)?validate_only=true", ["ipsec_tunnels": [["id": id, "description": "dry"]]])
            #expect(bulk.status == 200 && bulk.object["modified"] as? Bool == true, "\(bulk.text)")
            let generated = try await client.post("\(MagicPaths.ipsec)/\(id)/psk_generate?validate_only=true", [String: Any]())
            #expect((generated.object["psk"] as? String)?.count == 32)
            #expect(try await client.delete("\(MagicPaths.ipsec)/\(id)?validate_only=true").object["deleted"] as? Bool == true)
            let after = try await client.get("\(MagicPaths.ipsec)/\(id)").wrapped("ipsec_tunnel")
            #expect(NSDictionary(dictionary: after) == NSDictionary(dictionary: before), "nothing changed: \(after)")
            #expect(try server.server.store.ipsecPSK(account: TestServer.account, tunnelID: id) == psk)
        }
    }

    @Test("bulk PUT is all or nothing and names the item at fault")
    func bulkUpdate() async throws {
        try await withServer { server in
            let client = server.client
            let first = try await client.createMagicID(MagicPaths.gre, greBody(name: "a", third: 0))
            let second = try await client.createMagicID(MagicPaths.gre, greBody(name: "b", third: 1))
            let bad = try await client.put(MagicPaths.gre, ["gre_tunnels": [["id": first, "description": "changed"], ["id": second, "ttl": 300]]])
            expectMCNFailure(bad, status: 422, code: Code.invalidValue, mentions: "gre_tunnels[1].ttl", pointer: "/gre_tunnels/1/ttl")
            #expect(try await client.get("\(MagicPaths.gre)/\(first)").wrapped("gre_tunnel")["description"] == nil)
            // Later items see earlier ones: swapping two names in one body passes through a clash.
            let clash = try await client.put(MagicPaths.gre, ["gre_tunnels": [["id": first, "name": "b"], ["id": second, "name": "a"]]])
            expectMCNFailure(clash, status: 409, code: Code.conflict, mentions: "gre_tunnels[0].name")
            expectMCNFailure(try await client.put(MagicPaths.gre, ["gre_tunnels": [["description": "no id"]]]), status: 400, code: Code.missingField, pointer: "/gre_tunnels/0/id")
            expectMCNFailure(try await client.put(MagicPaths.gre, ["gre_tunnels": [["id": "nope"]]]), status: 404, code: Code.notFound)
            expectMCNFailure(try await client.put(MagicPaths.gre, ["tunnels": []]), status: 400, code: Code.missingField)
            let ok = try await client.put(MagicPaths.gre, ["gre_tunnels": [["id": first, "description": "x"], ["id": second, "mtu": 1400]]])
            #expect(ok.object["modified"] as? Bool == true && ok.wrappedList("modified_gre_tunnels").count == 2, "\(ok.text)")
            #expect(try await client.put(MagicPaths.gre, ["gre_tunnels": []]).object["modified"] as? Bool == false)
        }
    }

    @Test("interconnects: seeded through the store, listed, read and updated (single and bulk); no POST or DELETE")
    func interconnects() async throws {
        try await withServer { server in
            let client = server.client
            let seeded = try server.server.store.addInterconnect(
                CFInterconnect(coloName: "pni_ord", gre: CFInterconnectGRE(cloudflareEndpoint: "203.0.113.9"), interfaceAddress: "10.202.0.0/31", name: "pni_ord"),
                account: TestServer.account
            )
            let id = try #require(seeded.id)
            #expect(throws: APIError.self) {
                try server.server.store.addInterconnect(CFInterconnect(interfaceAddress: "10.202.0.1/31", name: "clash"), account: TestServer.account)
            }
            #expect(try await client.get(MagicPaths.interconnects).wrappedList("interconnects").map { $0["id"] as? String } == [id])
            #expect(try await client.get("\(MagicPaths.interconnects)/\(id)").wrapped("interconnect")["colo_name"] as? String == "pni_ord")
            let put = try await client.put("\(MagicPaths.interconnects)/\(id)", ["description": "to ORD", "colo_name": "changed", "mtu": 1400])
            let modified = put.wrapped("modified_interconnect")
            #expect(put.object["modified"] as? Bool == true && modified["description"] as? String == "to ORD" && modified["mtu"] as? Int == 1400)
            #expect(modified["colo_name"] as? String == "pni_ord", "colo_name is Cloudflare's")
            expectMCNFailure(try await client.put("\(MagicPaths.interconnects)/\(id)", ["mtu": 100]), status: 422, code: Code.invalidValue, pointer: "/mtu")
            let bulk = try await client.put(MagicPaths.interconnects, ["interconnects": [["id": id, "name": "renamed"]]])
            #expect(bulk.wrappedList("modified_interconnects").first?["name"] as? String == "renamed", "\(bulk.text)")
            expectFailure(try await client.post(MagicPaths.interconnects, ["name": "x"]), status: 405, code: Code.methodNotAllowed)
            expectFailure(try await client.delete("\(MagicPaths.interconnects)/\(id)"), status: 405, code: Code.methodNotAllowed)
        }
    }

    @Test("the mock's OpenAPI document lists every operation of the four families, as documented (not additions)")
    func openAPI() async throws {
        try await withServer { server in
            let paths = try #require(try await server.client.get("/openapi.json").json["paths"] as? [String: [String: Any]])
            let magic = "/accounts/{account_id}/magic"
            let expected: [(String, [String])] = [
                ("gre_tunnels", ["get", "post", "put"]), ("gre_tunnels/{gre_tunnel_id}", ["get", "put", "delete"]),
                ("ipsec_tunnels", ["get", "post", "put"]), ("ipsec_tunnels/{ipsec_tunnel_id}", ["get", "put", "delete"]),
                ("ipsec_tunnels/{ipsec_tunnel_id}/psk_generate", ["post"]),
                ("cf_interconnects", ["get", "put"]), ("cf_interconnects/{cf_interconnect_id}", ["get", "put"]),
                ("routes", ["get", "post", "put", "delete"]), ("routes/{route_id}", ["get", "put", "delete"]),
            ]
            for (path, methods) in expected {
                #expect(Set(paths["\(magic)/\(path)"]?.keys.map { $0 } ?? []) == Set(methods), "\(path)")
                for method in methods {
                    #expect((paths["\(magic)/\(path)"]?[method] as? [String: Any])?["x-vconnector-addition"] == nil, "\(method) \(path)")
                }
            }
        }
    }
}
