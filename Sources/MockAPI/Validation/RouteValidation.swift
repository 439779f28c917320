import ConnectorAPI

/// Rules of a static route: the prefix is a network, the nexthop the far side of one of the account's tunnels.
enum RouteValidation {
    /// The seed gives no ranges: a 32-bit priority and an 8-bit ECMP weight.
    static let priorities = 0...4_294_967_295
    static let weights = 0...255

    /// The field rules; the nexthop's tunnel is checked by `tunnel(for:in:)`.
    static func validate(_ route: MagicRoute) throws {
        guard let prefixText = route.prefix else { throw APIError.missing("prefix") }
        guard let nexthopText = route.nexthop else { throw APIError.missing("nexthop") }
        guard let priority = route.priority else { throw APIError.missing("priority") }
        let prefix = try Rules.cidr(prefixText, "prefix")!
        if prefix.hasHostBits {
            throw APIError.invalid("prefix", "\(prefix) has host bits set; the network is \(prefix.networkCIDR)")
        }
        try TunnelValidation.unicast(nexthopText, "nexthop")
        guard priorities.contains(priority) else {
            throw APIError.invalid("priority", "\(priority) is out of range (\(priorities.lowerBound)-\(priorities.upperBound))")
        }
        if let weight = route.weight, !weights.contains(weight) {
            throw APIError.invalid("weight", "\(weight) is out of range (\(weights.lowerBound)-\(weights.upperBound))")
        }
        try Rules.description(route.description, "description")
        for (index, colo) in (route.scope?.coloNames ?? []).enumerated() { try Rules.id(colo, "scope.colo_names[\(index)]") }
        for (index, region) in (route.scope?.coloRegions ?? []).enumerated() { try Rules.id(region, "scope.colo_regions[\(index)]") }
    }

    /// The tunnel whose interface prefix holds `nexthop`, if any.
    static func tunnel(for nexthop: String?, in interfaces: [TunnelInterface]) -> TunnelInterface? {
        guard let address = nexthop.flatMap({ IPv4Address($0) }) else { return nil }
        return interfaces.first { $0.v4?.contains(address) == true }
    }

    /// 409 when a route of the account would be left with no tunnel for its nexthop after `change`.
    static func checkNexthops(scope: AccountScope, interfaces: [TunnelInterface], change: String) throws {
        let routes = try MagicObjectStore.list(MagicRoute.self, db: scope.db, account: scope.account)
        if let route = routes.first(where: { tunnel(for: $0.nexthop, in: interfaces) == nil }) {
            throw APIError.conflict(
                "\(change) would leave route '\(route.id ?? "")' (\(route.prefix ?? "") via \(route.nexthop ?? "")) without a tunnel; change or delete the route first"
            )
        }
    }
}
