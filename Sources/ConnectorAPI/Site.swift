// Magic WAN sites as documented ("Sites").

/// Location of a site; latitude and longitude are decimal strings.
public struct SiteLocation: Codable, Sendable, Equatable {
    public var lat: String?
    public var lon: String?

    public init(lat: String? = nil, lon: String? = nil) {
        self.lat = lat
        self.lon = lon
    }
}

/// A site; also the body of create (name required), PUT and PATCH (`id` is ignored in bodies).
public struct Site: Codable, Sendable, Equatable {
    public var id: String?
    public var connectorId: String?
    public var description: String?
    /// High availability: the site may have a secondary connector.
    public var haMode: Bool?
    public var location: SiteLocation?
    public var name: String?
    public var secondaryConnectorId: String?

    public init(
        id: String? = nil, connectorId: String? = nil, description: String? = nil, haMode: Bool? = nil,
        location: SiteLocation? = nil, name: String? = nil, secondaryConnectorId: String? = nil
    ) {
        self.id = id
        self.connectorId = connectorId
        self.description = description
        self.haMode = haMode
        self.location = location
        self.name = name
        self.secondaryConnectorId = secondaryConnectorId
    }

    enum CodingKeys: String, CodingKey {
        case id, description, location, name
        case connectorId = "connector_id"
        case haMode = "ha_mode"
        case secondaryConnectorId = "secondary_connector_id"
    }
}
