// Magic GRE tunnels as documented (seed 003, "GRE Tunnels"). Also the body of create (cloudflare_gre_endpoint,
// customer_gre_endpoint, interface_address, name required) and PUT. The kernels vconnector runs on here have
// no GRE: these tunnels exist in mock-api only, the site network builds IPsec tunnels.

/// A GRE tunnel of the account.
public struct GRETunnel: Codable, Sendable, Equatable {
    public var id: String?
    /// The Cloudflare side's (anycast) address.
    public var cloudflareGreEndpoint: AddressField?
    /// The customer side's public address.
    public var customerGreEndpoint: AddressField?
    /// A /31 (or /30) from private space shared by the two ends of the tunnel.
    public var interfaceAddress: CIDRField?
    /// An IPv6 /127.
    public var interfaceAddress6: PrefixField?
    /// At most 15 letters, digits, '-' and '_'.
    public var name: String?
    public var automaticReturnRouting: Bool?
    public var bgp: TunnelBGP?
    /// Output only.
    public var bgpStatus: TunnelBGPStatus?
    public var createdOn: String?
    public var description: String?
    public var healthCheck: TunnelHealthCheck?
    public var modifiedOn: String?
    /// Bytes, at least 576.
    public var mtu: Int?
    /// Hops.
    public var ttl: Int?

    public init(
        id: String? = nil, cloudflareGreEndpoint: AddressField? = nil, customerGreEndpoint: AddressField? = nil, interfaceAddress: CIDRField? = nil,
        name: String? = nil, description: String? = nil, healthCheck: TunnelHealthCheck? = nil, mtu: Int? = nil, ttl: Int? = nil
    ) {
        self.id = id
        self.cloudflareGreEndpoint = cloudflareGreEndpoint
        self.customerGreEndpoint = customerGreEndpoint
        self.interfaceAddress = interfaceAddress
        self.name = name
        self.description = description
        self.healthCheck = healthCheck
        self.mtu = mtu
        self.ttl = ttl
    }

    enum CodingKeys: String, CodingKey {
        case id, name, bgp, description, mtu, ttl
        case cloudflareGreEndpoint = "cloudflare_gre_endpoint"
        case customerGreEndpoint = "customer_gre_endpoint"
        case interfaceAddress = "interface_address"
        case interfaceAddress6 = "interface_address6"
        case automaticReturnRouting = "automatic_return_routing"
        case bgpStatus = "bgp_status"
        case createdOn = "created_on"
        case healthCheck = "health_check"
        case modifiedOn = "modified_on"
    }
}
