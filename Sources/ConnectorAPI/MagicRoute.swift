// Magic static routes as documented (seed 003, "Routes"): the edge's routing table. A route sends `prefix`
// to `nexthop`, the customer side of a tunnel's interface address; lower `priority` wins, equal priorities
// share traffic by `weight`.

/// Where a route applies (colos and regions); empty means everywhere.
public struct RouteScope: Codable, Sendable, Equatable {
    public var coloNames: [String]?
    public var coloRegions: [String]?

    public init(coloNames: [String]? = nil, coloRegions: [String]? = nil) {
        self.coloNames = coloNames
        self.coloRegions = coloRegions
    }

    enum CodingKeys: String, CodingKey {
        case coloNames = "colo_names"
        case coloRegions = "colo_regions"
    }
}

/// A static route of the account; also the body of create (prefix, nexthop, priority required) and PUT.
public struct MagicRoute: Codable, Sendable, Equatable {
    public var id: String?
    public var nexthop: AddressField?
    public var prefix: CIDRField?
    public var priority: Int?
    public var createdOn: String?
    public var description: String?
    public var modifiedOn: String?
    public var scope: RouteScope?
    public var weight: Int?

    public init(id: String? = nil, nexthop: AddressField? = nil, prefix: CIDRField? = nil, priority: Int? = nil, description: String? = nil, weight: Int? = nil) {
        self.id = id
        self.nexthop = nexthop
        self.prefix = prefix
        self.priority = priority
        self.description = description
        self.weight = weight
    }

    enum CodingKeys: String, CodingKey {
        case id, nexthop, prefix, priority, description, scope, weight
        case createdOn = "created_on"
        case modifiedOn = "modified_on"
    }
}
