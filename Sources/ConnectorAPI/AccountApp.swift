// Custom apps as documented (seed 003, "Apps"): hostnames and IPv4 subnets an account names, for app configs'
// traffic decisions.

/// An app of the account; also the body of create (`name` and `type` required), PUT and PATCH.
public struct AccountApp: Codable, Sendable, Equatable {
    /// `account_app_id`: what app configs name.
    public var id: String?
    public var name: String?
    /// The app's category ("Development", "Video"...): free text.
    public var type: String?
    /// FQDNs.
    public var hostnames: [String]?
    /// IPv4 CIDRs of the app's servers.
    public var ipSubnets: [String]?
    /// IPv4 CIDRs of the app's clients.
    public var sourceSubnets: [String]?

    public init(
        id: String? = nil, name: String? = nil, type: String? = nil, hostnames: [String]? = nil, ipSubnets: [String]? = nil,
        sourceSubnets: [String]? = nil
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.hostnames = hostnames
        self.ipSubnets = ipSubnets
        self.sourceSubnets = sourceSubnets
    }

    enum CodingKeys: String, CodingKey {
        case name, type, hostnames
        case id = "account_app_id"
        case ipSubnets = "ip_subnets"
        case sourceSubnets = "source_subnets"
    }
}
