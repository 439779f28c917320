import Foundation
import Testing

/// Static routes: shapes, the nexthop rule (inside one of the account's tunnels), ranges, bulk PUT and DELETE.
@Suite("Magic static routes")
struct MagicRouteTests {
    /// A route body through the IPsec tunnel of `ipsecBody(third: 0)` (10.201.0.0/31).
    static func routeBody(prefix: String = "192.168.50.0/24", nexthop: String = "10.201.0.1", priority: Int = 100) -> [String: Any] {
        ["prefix": prefix, "nexthop": nexthop, "priority": priority]
    }

    @Test("CRUD with the documented wrapped results")
    func shapes() async throws {
        try await withServer { server in
            let client = server.client
            _ = try await client.createMagicID(MagicPaths.ipsec, ipsecBody())
            var body = Self.routeBody()
            body["scope"] = ["colo_names": ["den01"], "colo_regions": ["APAC"]]
            body["weight"] = 10
            let created = try await client.createMagic(MagicPaths.routes, body)
            let id = try #require(created["id"] as? String)
            #expect(created["created_on"] is String && created["weight"] as? Int == 10)
            #expect(try await client.get(MagicPaths.routes).wrappedList("routes").map { $0["id"] as? String } == [id])
            #expect(try await client.get("\(MagicPaths.routes)/\(id)").wrapped("route")["prefix"] as? String == "192.168.50.0/24")
            let put = try await client.put("\(MagicPaths.routes)/\(id)", Self.routeBody(priority: 5))
            #expect(put.object["modified"] as? Bool == true && put.wrapped("modified_route")["priority"] as? Int == 5)
            #expect(put.wrapped("modified_route")["weight"] as? Int == 10, "fields the body leaves out are kept")
            let deleted = try await client.delete("\(MagicPaths.routes)/\(id)")
            #expect(deleted.object["deleted"] as? Bool == true && deleted.wrapped("deleted_route")["id"] as? String == id)
            expectMCNFailure(try await client.get("\(MagicPaths.routes)/\(id)"), status: 404, code: Code.notFound)
        }
    }

    @Test("prefix without host bits, nexthop inside a tunnel of the account, priority and weight in range")
    func validation() async throws {
        try await withServer { server in
            let client = server.client
            _ = try await client.createMagicID(MagicPaths.ipsec, ipsecBody())
            let cases: [([String: Any], String)] = [
                (["prefix": "192.168.50.1/24"], "/prefix"),
                (["prefix": "192.168.50.0"], "/prefix"),
                (["prefix": "192.168.50.0/33"], "/prefix"),
                (["nexthop": "10.9.9.9"], "/nexthop"),
                (["nexthop": "10.201.0.1/31"], "/nexthop"),
                (["priority": -1], "/priority"),
                (["priority": 4_294_967_296], "/priority"),
                (["weight": 256], "/weight"),
                (["description": "a\nb"], "/description"),
                (["scope": ["colo_names": ["den 01"]]], "/scope/colo_names/0"),
            ]
            for (change, pointer) in cases {
                var body = Self.routeBody()
                body.merge(change) { $1 }
                expectMCNFailure(try await client.post(MagicPaths.routes, body), status: 422, code: Code.invalidValue, pointer: pointer)
            }
            for field in ["prefix", "nexthop", "priority"] {
                var body = Self.routeBody()
                body[field] = nil
                expectMCNFailure(try await client.post(MagicPaths.routes, body), status: 400, code: Code.missingField, pointer: "/\(field)")
            }
            _ = try await client.createMagic(MagicPaths.routes, Self.routeBody(priority: 4_294_967_295))
            expectMCNFailure(try await client.post(MagicPaths.routes, Self.routeBody()), status: 409, code: Code.conflict, mentions: "192.168.50.0/24")
            #expect(try await client.get(MagicPaths.routes).wrappedList("routes").count == 1)
        }
    }

    @Test("a tunnel a route goes through cannot be deleted or moved away from the nexthop (409)")
    func tunnelsInUse() async throws {
        try await withServer { server in
            let client = server.client
            let tunnel = try await client.createMagicID(MagicPaths.ipsec, ipsecBody())
            let route = try await client.createMagicID(MagicPaths.routes, Self.routeBody())
            expectMCNFailure(try await client.delete("\(MagicPaths.ipsec)/\(tunnel)"), status: 409, code: Code.conflict, mentions: route)
            expectMCNFailure(try await client.put("\(MagicPaths.ipsec)/\(tunnel)", ipsecBody(third: 9)), status: 409, code: Code.conflict, mentions: route)
            #expect(try await client.get("\(MagicPaths.ipsec)/\(tunnel)").status == 200)
            // Another tunnel holding the nexthop's subnet is not possible (no overlap), so the route goes first.
            #expect(try await client.delete("\(MagicPaths.routes)/\(route)").status == 200)
            #expect(try await client.delete("\(MagicPaths.ipsec)/\(tunnel)").status == 200)
        }
    }

    @Test("bulk PUT changes only the given fields; DELETE takes ids, or empties the table without a body")
    func bulk() async throws {
        try await withServer { server in
            let client = server.client
            _ = try await client.createMagicID(MagicPaths.gre, greBody())
            var ids: [String] = []
            for third in 60..<64 {
                ids.append(try await client.createMagicID(MagicPaths.routes, Self.routeBody(prefix: "192.168.\(third).0/24", nexthop: "10.200.0.1")))
            }
            let put = try await client.put(MagicPaths.routes, ["routes": [["id": ids[0], "priority": 7], ["id": ids[1], "description": "second"]]])
            let modified = put.wrappedList("modified_routes")
            #expect(modified.count == 2 && modified[0]["priority"] as? Int == 7 && modified[0]["prefix"] as? String == "192.168.60.0/24")
            let bad = try await client.put(MagicPaths.routes, ["routes": [["id": ids[0], "priority": 8], ["id": ids[1], "nexthop": "10.9.9.9"]]])
            expectMCNFailure(bad, status: 422, code: Code.invalidValue, mentions: "routes[1].nexthop", pointer: "/routes/1/nexthop")
            #expect(try await client.get("\(MagicPaths.routes)/\(ids[0])").wrapped("route")["priority"] as? Int == 7)

            let unknown = try await client.send("DELETE", MagicPaths.routes, json: ["routes": [["id": ids[0]], ["id": "nope"]]])
            expectMCNFailure(unknown, status: 404, code: Code.notFound, mentions: "nope")
            #expect(try await client.get(MagicPaths.routes).wrappedList("routes").count == 4, "all or nothing")
            let some = try await client.send("DELETE", MagicPaths.routes, json: ["routes": [["id": ids[0]], ["id": ids[1]]]])
            #expect(some.object["deleted"] as? Bool == true && some.wrappedList("deleted_routes").map { $0["id"] as? String } == [ids[0], ids[1]])
            let dry = try await client.delete("\(MagicPaths.routes)?validate_only=true")
            #expect(dry.wrappedList("deleted_routes").count == 2)
            #expect(try await client.get(MagicPaths.routes).wrappedList("routes").count == 2)
            let all = try await client.delete(MagicPaths.routes)
            #expect(all.wrappedList("deleted_routes").map { $0["id"] as? String } == [ids[2], ids[3]])
            #expect(try await client.get(MagicPaths.routes).wrappedList("routes").isEmpty)
            #expect(try await client.delete(MagicPaths.routes).object["deleted"] as? Bool == false)
        }
    }
}
