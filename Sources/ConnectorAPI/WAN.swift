// Site WANs as documented ("WANs").

/// Static addressing of a WAN uplink; without it the WAN uses DHCP.
public struct WANStaticAddressing: Codable, Sendable, Equatable {
    public var address: CIDRField?
    public var gatewayAddress: AddressField?
    public var secondaryAddress: CIDRField?

    public init(address: CIDRField? = nil, gatewayAddress: AddressField? = nil, secondaryAddress: CIDRField? = nil) {
        self.address = address
        self.gatewayAddress = gatewayAddress
        self.secondaryAddress = secondaryAddress
    }

    enum CodingKeys: String, CodingKey {
        case address
        case gatewayAddress = "gateway_address"
        case secondaryAddress = "secondary_address"
    }
}

/// A WAN of a site; also the body of create (physport required), PUT and PATCH.
public struct WAN: Codable, Sendable, Equatable {
    public var id: String?
    /// Health check rate for tunnels on this link: "low", "mid" (default) or "high".
    public var healthCheckRate: String?
    public var name: String?
    public var physport: Int?
    /// Priority of the WAN for traffic load balancing.
    public var priority: Int?
    public var siteId: String?
    public var staticAddressing: WANStaticAddressing?
    /// VLAN ID, 0 for untagged.
    public var vlanTag: Int?

    public init(
        id: String? = nil, healthCheckRate: String? = nil, name: String? = nil, physport: Int? = nil,
        priority: Int? = nil, siteId: String? = nil, staticAddressing: WANStaticAddressing? = nil, vlanTag: Int? = nil
    ) {
        self.id = id
        self.healthCheckRate = healthCheckRate
        self.name = name
        self.physport = physport
        self.priority = priority
        self.siteId = siteId
        self.staticAddressing = staticAddressing
        self.vlanTag = vlanTag
    }

    enum CodingKeys: String, CodingKey {
        case id, name, physport, priority
        case healthCheckRate = "health_check_rate"
        case siteId = "site_id"
        case staticAddressing = "static_addressing"
        case vlanTag = "vlan_tag"
    }
}
