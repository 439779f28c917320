// Zero Trust (Gateway) lists, the destination of ZERO_TRUST_LIST catalog syncs, in the shape of
// `/accounts/{account_id}/gateway/lists`.

/// One value of a list.
public struct GatewayListItem: Codable, Sendable, Equatable {
    public var value: String
    public var description: String?
    public var createdAt: String?

    public init(value: String, description: String? = nil, createdAt: String? = nil) {
        self.value = value
        self.description = description
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case value, description
        case createdAt = "created_at"
    }
}

/// A Zero Trust list (without its items; `count` says how many).
public struct GatewayList: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    /// Always "IP" for catalog-sync destinations.
    public var type: String
    public var count: Int
    public var createdAt: String
    public var updatedAt: String

    public init(id: String, name: String, description: String, type: String, count: Int, createdAt: String, updatedAt: String) {
        self.id = id
        self.name = name
        self.description = description
        self.type = type
        self.count = count
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, type, count
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
