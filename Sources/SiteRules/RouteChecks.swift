import ConnectorAPI

// Rules of a Magic static route: its own fields, and in a site, a nexthop on one of the site's tunnels.

extension SiteCheck {
    /// The seed gives no ranges: a 32-bit priority and an 8-bit ECMP weight.
    static let routePriorities = 0...Int(UInt32.max)
    static let routeWeights = 0...255

    mutating func checkRoute(_ route: MagicRoute, base: String) {
        identifier(route.id, "\(base).id")
        text(route.description, "\(base).description")
        if route.prefix == nil {
            add("\(base).prefix", .required, "required: the prefix the edge sends to this site, e.g. 10.10.0.0/24")
        }
        _ = networkPrefix(route.prefix, "\(base).prefix")
        if route.nexthop == nil {
            add("\(base).nexthop", .required, "required: the customer side of one of the site's tunnels")
        }
        unicast(route.nexthop, "\(base).nexthop")
        if route.priority == nil { add("\(base).priority", .required, "required: lower wins, 0 or more") }
        if let priority = route.priority, !Self.routePriorities.contains(priority) {
            add("\(base).priority", .outOfRange, "\(priority) is out of range (0 to 4294967295)")
        }
        if let weight = route.weight, !Self.routeWeights.contains(weight) {
            add("\(base).weight", .outOfRange, "\(weight) is out of range (0 to 255)")
        }
        for (index, colo) in (route.scope?.coloNames ?? []).enumerated() {
            identifier(colo, "\(base).scope.colo_names[\(index)]")
        }
        for (index, region) in (route.scope?.coloRegions ?? []).enumerated() {
            identifier(region, "\(base).scope.colo_regions[\(index)]")
        }
    }

    /// In a site, the nexthop is the customer side of one of the site's tunnels (checked after them).
    mutating func checkRouteTunnel(_ route: MagicRoute, base: String) {
        guard let hop = route.nexthop?.value,
            !tunnels.contains(where: { $0.addressing?.customer == hop })
        else { return }
        let sides = tunnels.compactMap { facts in facts.addressing.map { "\($0.customer) (\(facts.label))" } }
        add(
            "\(base).nexthop", .unknownReference,
            "\(hop) is not the customer side of one of the site's tunnels"
                + (sides.isEmpty ? "" : "; expected one of \(sides.joined(separator: ", "))")
        )
    }
}
