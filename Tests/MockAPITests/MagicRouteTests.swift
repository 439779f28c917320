import ConnectorAPI
import Foundation
import Hummingbird
import Testing

/// Static routes: shapes, the nexthop rule (inside one of the account's tunnels), ranges, bulk PUT and DELETE.
@Suite("Magic static routes")
struct MagicRouteTests {
    /// A route body through the IPsec tunnel of `ipsec(third: 0)` (10.201.0.0/31), as a JSON object for the
    /// cases of the wrong shape no API type holds.
    static func routeBody(prefix: String = "192.168.50.0/24", nexthop: String = "10.201.0.1", priority: Int = 100)
        -> [String: Any]
    {
        ["prefix": prefix, "nexthop": nexthop, "priority": priority]
    }

    /// `routeBody` as the API type.
    static func route(prefix: String = "192.168.50.0/24", nexthop: String = "10.201.0.1", priority: Int = 100)
        -> MagicRoute
    {
        MagicRoute(nexthop: Parsed(nexthop), prefix: Parsed(prefix), priority: priority)
    }

    private func routes(_ api: RouterClient, _ response: RouterResponse, key: String = "routes") throws -> [MagicRoute]?
    {
        try api.keyed([MagicRoute].self, key, response).result?.value
    }

    @Test("CRUD with the documented wrapped results")
    func shapes() async throws {
        try await withRouter { api in
            _ = try await api.createMagicID(MagicPaths.ipsec, ipsec())
            var body = Self.route()
            body.scope = RouteScope(coloNames: ["den01"], coloRegions: ["APAC"])
            body.weight = 10
            let response = try await api.send(.post, MagicPaths.routes, body: body)
            let created = try #require(try api.decode(MagicRoute.self, response).result, "\(response.text)")
            let id = try #require(created.id)
            #expect(created.createdOn != nil && created.weight == 10)
            #expect(try routes(api, try await api.send(.get, MagicPaths.routes))?.map(\.id) == [id])
            let one = try api.keyed(MagicRoute.self, "route", try await api.send(.get, "\(MagicPaths.routes)/\(id)"))
                .result?.value
            #expect(one?.prefix == "192.168.50.0/24")
            let put = try api.keyed(
                MagicRoute.self, "modified_route",
                try await api.send(.put, "\(MagicPaths.routes)/\(id)", body: Self.route(priority: 5))
            ).result
            #expect(put?.modified == true && put?.value?.priority == 5)
            #expect(put?.value?.weight == 10, "fields the body leaves out are kept")
            let deleted = try api.keyed(
                MagicRoute.self, "deleted_route", try await api.send(.delete, "\(MagicPaths.routes)/\(id)")
            ).result
            #expect(deleted?.deleted == true && deleted?.value?.id == id)
            expectMCNFailure(
                try await api.send(.get, "\(MagicPaths.routes)/\(id)"), status: .notFound, code: Code.notFound)
        }
    }

    @Test("prefix without host bits, nexthop inside a tunnel of the account, priority and weight in range")
    func validation() async throws {
        try await withRouter { api in
            _ = try await api.createMagicID(MagicPaths.ipsec, ipsec())
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
                expectMCNFailure(
                    try await api.send(.post, MagicPaths.routes, raw: try jsonData(body)),
                    status: .unprocessableContent,
                    code: Code.invalidValue, pointer: pointer
                )
            }
            for field in ["prefix", "nexthop", "priority"] {
                var body = Self.routeBody()
                body[field] = nil
                expectMCNFailure(
                    try await api.send(.post, MagicPaths.routes, raw: try jsonData(body)), status: .badRequest,
                    code: Code.missingField,
                    pointer: "/\(field)"
                )
            }
            _ = try await api.createMagicID(MagicPaths.routes, Self.route(priority: 4_294_967_295))
            expectMCNFailure(
                try await api.send(.post, MagicPaths.routes, body: Self.route()), status: .conflict,
                code: Code.conflict, mentions: "192.168.50.0/24")
            #expect(try routes(api, try await api.send(.get, MagicPaths.routes))?.count == 1)
        }
    }

    @Test("a tunnel a route goes through cannot be deleted or moved away from the nexthop (409)")
    func tunnelsInUse() async throws {
        try await withRouter { api in
            let tunnel = try await api.createMagicID(MagicPaths.ipsec, ipsec())
            let route = try await api.createMagicID(MagicPaths.routes, Self.route())
            expectMCNFailure(
                try await api.send(.delete, "\(MagicPaths.ipsec)/\(tunnel)"), status: .conflict, code: Code.conflict,
                mentions: route)
            expectMCNFailure(
                try await api.send(.put, "\(MagicPaths.ipsec)/\(tunnel)", body: ipsec(third: 9)), status: .conflict,
                code: Code.conflict, mentions: route
            )
            #expect(try await api.send(.get, "\(MagicPaths.ipsec)/\(tunnel)").status == .ok)
            // Another tunnel holding the nexthop's subnet is not possible (no overlap), so the route goes first.
            #expect(try await api.send(.delete, "\(MagicPaths.routes)/\(route)").status == .ok)
            #expect(try await api.send(.delete, "\(MagicPaths.ipsec)/\(tunnel)").status == .ok)
        }
    }

    @Test("bulk PUT changes only the given fields; DELETE takes ids, or empties the table without a body")
    func bulk() async throws {
        try await withRouter { api in
            _ = try await api.createMagicID(MagicPaths.gre, gre())
            var ids: [String] = []
            for third in 60..<64 {
                ids.append(
                    try await api.createMagicID(
                        MagicPaths.routes, Self.route(prefix: "192.168.\(third).0/24", nexthop: "10.200.0.1")))
            }
            let put = try await api.send(
                .put, MagicPaths.routes,
                body: ["routes": [MagicRoute(id: ids[0], priority: 7), MagicRoute(id: ids[1], description: "second")]])
            let modified = try routes(api, put, key: "modified_routes") ?? []
            #expect(
                modified.count == 2 && modified.first?.priority == 7 && modified.first?.prefix == "192.168.60.0/24",
                "\(put.text)")
            let bad = try await api.send(
                .put, MagicPaths.routes,
                body: ["routes": [MagicRoute(id: ids[0], priority: 8), MagicRoute(id: ids[1], nexthop: "10.9.9.9")]])
            expectMCNFailure(
                bad, status: .unprocessableContent, code: Code.invalidValue, mentions: "routes[1].nexthop",
                pointer: "/routes/1/nexthop")
            #expect(
                try api.keyed(MagicRoute.self, "route", try await api.send(.get, "\(MagicPaths.routes)/\(ids[0])"))
                    .result?.value?.priority == 7)

            let unknown = try await api.send(
                .delete, MagicPaths.routes, body: ["routes": [MagicRoute(id: ids[0]), MagicRoute(id: "nope")]])
            expectMCNFailure(unknown, status: .notFound, code: Code.notFound, mentions: "nope")
            #expect(try routes(api, try await api.send(.get, MagicPaths.routes))?.count == 4, "all or nothing")
            let some = try await api.send(
                .delete, MagicPaths.routes, body: ["routes": [MagicRoute(id: ids[0]), MagicRoute(id: ids[1])]])
            let someDeleted = try api.keyed([MagicRoute].self, "deleted_routes", some).result
            #expect(someDeleted?.deleted == true && someDeleted?.value?.map(\.id) == [ids[0], ids[1]])
            #expect(
                try routes(
                    api, try await api.send(.delete, "\(MagicPaths.routes)?validate_only=true"), key: "deleted_routes")?
                    .count == 2)
            #expect(try routes(api, try await api.send(.get, MagicPaths.routes))?.count == 2)
            #expect(
                try routes(api, try await api.send(.delete, MagicPaths.routes), key: "deleted_routes")?.map(\.id) == [
                    ids[2], ids[3],
                ])
            #expect(try routes(api, try await api.send(.get, MagicPaths.routes)) == [])
            #expect(
                try api.keyed([MagicRoute].self, "deleted_routes", try await api.send(.delete, MagicPaths.routes))
                    .result?.deleted == false)
        }
    }
}
