// One entry of the resource catalog that catalog-sync policies run over: a discovered cloud resource
// (VPC, VNet, subnet, instance...) or one of the account's own Magic sites and LANs.

/// A catalog resource, as in `--catalog FILE` and the mock's catalog endpoints.
public struct CatalogResource: Codable, Sendable, Equatable {
    /// Unique in the account's catalog.
    public var id: String
    /// The resource type, e.g. `aws_vpc`, `azurerm_subnet`, `google_compute_instance`, `magic_lan`.
    public var kind: String
    public var name: String?
    /// AWS, AZURE, GOOGLE or CLOUDFLARE (Magic sites and LANs).
    public var cloudType: String?
    /// The cloud account, subscription or project.
    public var cloudAccount: String?
    public var region: String?
    /// The provider's own id (e.g. `vpc-0a1b2c3d`).
    public var nativeId: String?
    /// The enclosing resource (a subnet's VPC, an instance's subnet, a LAN's site).
    public var parentId: String?
    /// Prefixes the resource owns (IPv4 or IPv6 CIDRs).
    public var cidrs: [String]?
    /// Addresses the resource has (IPv4 or IPv6).
    public var ips: [String]?
    public var tags: [String: String]?
    /// When it was discovered (ISO 8601); set to the receive time when added without one.
    public var discoveredAt: String?

    public init(
        id: String, kind: String, name: String? = nil, cloudType: String? = nil, cloudAccount: String? = nil,
        region: String? = nil, nativeId: String? = nil, parentId: String? = nil, cidrs: [String]? = nil,
        ips: [String]? = nil, tags: [String: String]? = nil, discoveredAt: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.cloudType = cloudType
        self.cloudAccount = cloudAccount
        self.region = region
        self.nativeId = nativeId
        self.parentId = parentId
        self.cidrs = cidrs
        self.ips = ips
        self.tags = tags
        self.discoveredAt = discoveredAt
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, name, region, cidrs, ips, tags
        case cloudType = "cloud_type"
        case cloudAccount = "cloud_account"
        case nativeId = "native_id"
        case parentId = "parent_id"
        case discoveredAt = "discovered_at"
    }
}

/// The `--catalog FILE` format: resources every account's catalog starts with.
public struct CatalogFile: Codable, Sendable, Equatable {
    /// The newest discovery the file includes, when resources carry no `discovered_at` of their own.
    public var discoveredUntil: String?
    public var resources: [CatalogResource]

    public init(discoveredUntil: String? = nil, resources: [CatalogResource]) {
        self.discoveredUntil = discoveredUntil
        self.resources = resources
    }

    enum CodingKeys: String, CodingKey {
        case resources
        case discoveredUntil = "discovered_until"
    }
}
