// Cloudflare Network Interconnects as documented (seed 003, "Cf Interconnects"): a private link from a
// customer network into a Cloudflare colo, provisioned by Cloudflare (the API can list and update them, not
// create or delete them). Also the body of PUT, every field optional.

/// The GRE side of an interconnect.
public struct CFInterconnectGRE: Codable, Sendable, Equatable {
    public var cloudflareEndpoint: AddressField?

    public init(cloudflareEndpoint: AddressField? = nil) { self.cloudflareEndpoint = cloudflareEndpoint }

    enum CodingKeys: String, CodingKey { case cloudflareEndpoint = "cloudflare_endpoint" }
}

/// An interconnect of the account.
public struct CFInterconnect: Codable, Sendable, Equatable {
    public var id: String?
    public var automaticReturnRouting: Bool?
    /// Set by Cloudflare when it provisions the interconnect; read-only through the API.
    public var coloName: String?
    public var createdOn: String?
    public var description: String?
    public var gre: CFInterconnectGRE?
    public var healthCheck: TunnelHealthCheck?
    /// A /31 (or /30) from private space shared by the two ends.
    public var interfaceAddress: CIDRField?
    /// An IPv6 /127.
    public var interfaceAddress6: PrefixField?
    public var modifiedOn: String?
    /// Bytes, at least 576.
    public var mtu: Int?
    public var name: String?
    /// Read-only: correlates the interconnect with its V2 CNI resource.
    public var virtualPortReservationId: String?

    public init(
        id: String? = nil, coloName: String? = nil, description: String? = nil, gre: CFInterconnectGRE? = nil,
        interfaceAddress: CIDRField? = nil, mtu: Int? = nil, name: String? = nil
    ) {
        self.id = id
        self.coloName = coloName
        self.description = description
        self.gre = gre
        self.interfaceAddress = interfaceAddress
        self.mtu = mtu
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case id, description, gre, mtu, name
        case automaticReturnRouting = "automatic_return_routing"
        case coloName = "colo_name"
        case createdOn = "created_on"
        case healthCheck = "health_check"
        case interfaceAddress = "interface_address"
        case interfaceAddress6 = "interface_address6"
        case modifiedOn = "modified_on"
        case virtualPortReservationId = "virtual_port_reservation_id"
    }
}
