import ConnectorAPI
import SiteRules

/// A static route: its own fields by the shared site rules; its nexthop the far side of one of the account's
/// tunnels (the store's).
enum RouteValidation {
    static func validate(_ route: MagicRoute) throws {
        try APIError.check(SiteRulebook.problems(of: route))
    }

    /// The tunnel whose interface prefix holds `nexthop`, if any.
    static func tunnel(for nexthop: AddressField?, in interfaces: [TunnelInterface]) -> TunnelInterface? {
        guard let address = nexthop?.value else { return nil }
        return interfaces.first { $0.v4?.contains(address) == true }
    }

    /// 409 when a route of the account would be left with no tunnel for its nexthop after `change`.
    static func checkNexthops(scope: AccountScope, interfaces: [TunnelInterface], change: String) throws {
        let routes = try MagicObjectStore.list(MagicRoute.self, db: scope.db, account: scope.account)
        if let route = routes.first(where: { tunnel(for: $0.nexthop, in: interfaces) == nil }) {
            throw APIError.conflict(
                "\(change) would leave route '\(route.id ?? "")' (\(route.prefix?.text ?? "") via \(route.nexthop?.text ?? "")) without a tunnel; change or delete the route first"
            )
        }
    }
}
