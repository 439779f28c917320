import ConnectorAPI
import Hummingbird

/// Static routes: `/accounts/:account_id/magic/routes[/:route_id]`, plus DELETE of many (or all) routes.
extension MagicRoute: MagicObject {
    static var family: MagicFamily {
        MagicFamily(
            segment: "routes", key: "route", noun: "route",
            documentationURL: "https://developers.cloudflare.com/api/resources/magic_transit/subresources/routes/"
        )
    }

    var missingRequiredField: String? {
        if prefix == nil { return "prefix" }
        if nexthop == nil { return "nexthop" }
        return priority == nil ? "priority" : nil
    }

    func merged(with patch: MagicRoute) -> MagicRoute {
        var route = self
        route.nexthop = patch.nexthop ?? nexthop
        route.prefix = patch.prefix ?? prefix
        route.priority = patch.priority ?? priority
        route.description = patch.description ?? description
        route.scope = patch.scope ?? scope
        route.weight = patch.weight ?? weight
        return route
    }

    static func prepare(_ value: MagicRoute, scope: AccountScope, existing: MagicRoute?) throws -> MagicRoute {
        try RouteValidation.validate(value)
        let interfaces = try TunnelValidation.interfaces(scope: scope, excluding: nil)
        guard RouteValidation.tunnel(for: value.nexthop, in: interfaces) != nil else {
            throw APIError.invalid(
                "nexthop", "\(value.nexthop ?? "") is inside no tunnel's interface_address (GRE, IPsec or interconnect) of this account"
            )
        }
        let others = try MagicObjectStore.list(MagicRoute.self, db: scope.db, account: scope.account).filter { $0.id != value.id }
        if let other = others.first(where: { $0.prefix == value.prefix && $0.nexthop == value.nexthop && $0.scope == value.scope }) {
            throw APIError.conflict("prefix: route '\(other.id ?? "")' already sends \(value.prefix ?? "") via \(value.nexthop ?? "") in this scope")
        }
        return value
    }
}

extension MagicObjectRoutes where Object == MagicRoute {
    /// DELETE `/routes`: with `{"routes": [{"id": ...}]}` those routes, without a body every route of the
    /// account (the SDK's `routes.empty`). `{deleted, deleted_routes}`.
    func registerDeleteMany(on accounts: AccountRouter) {
        group(on: accounts).delete { request, context -> Response in
            let account = try context.account
            let body = try await services.body.decodeIfPresent(KeyedList<MagicRoute>.self, from: request)
            let deleted = try await change(request, account: account) { scope in
                let ids = try body.map { list in
                    try list.items.enumerated().map { index, route in
                        try Self.naming(Object.family.plural, index) {
                            guard let id = route.id else { throw APIError.missing("id") }
                            return id
                        }
                    }
                } ?? MagicObjectStore.list(MagicRoute.self, db: scope.db, account: scope.account).compactMap(\.id)
                return try ids.map { try Self.delete(id: $0, scope: scope) }
            }
            return try JSONResponse.ok(KeyedResult(flag: "deleted", !deleted.isEmpty, deleted, key: "deleted_routes"))
        }
    }
}
