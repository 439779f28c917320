// Magic IPsec tunnels as documented (seed 003, "IPSEC Tunnels"): the tunnel from a customer device to
// Cloudflare's anycast edge. Also the body of create (cloudflare_endpoint, interface_address, name required)
// and PUT. `psk` is accepted in bodies and never served back.

/// The destination of a request-style health check: an object `{effective, saved}` in responses, a plain
/// address string in requests (both are accepted). A target without `effective` (as a request's string gives
/// it) is written back as that plain string, so a value round-trips in the form it came in; the API serves the
/// object only when asked to (`x-magic-new-hc-target: true`).
public struct HealthCheckTarget: Codable, Sendable, Equatable {
    /// The target in use (the saved one, or the computed default).
    public var effective: AddressField?
    /// The target set by the user; empty text means the computed default.
    public var saved: AddressField?

    public init(effective: AddressField? = nil, saved: AddressField? = nil) {
        self.effective = effective
        self.saved = saved
    }

    enum CodingKeys: String, CodingKey { case effective, saved }

    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self.init(effective: nil, saved: AddressField(text))
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(effective: try container.decodeIfPresent(AddressField.self, forKey: .effective),
                  saved: try container.decodeIfPresent(AddressField.self, forKey: .saved))
    }

    public func encode(to encoder: any Encoder) throws {
        guard let effective else {
            var container = encoder.singleValueContainer()
            try container.encode(saved ?? "")
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(effective, forKey: .effective)
        try container.encode(saved ?? "", forKey: .saved)
    }
}

/// How Cloudflare checks a tunnel's health.
public struct TunnelHealthCheck: Codable, Sendable, Equatable {
    /// "unidirectional" or "bidirectional" (default).
    public var direction: String?
    public var enabled: Bool?
    /// "low", "mid" (default) or "high".
    public var rate: String?
    public var target: HealthCheckTarget?
    /// "reply" (default) or "request".
    public var type: String?

    public init(direction: String? = nil, enabled: Bool? = nil, rate: String? = nil, target: HealthCheckTarget? = nil, type: String? = nil) {
        self.direction = direction
        self.enabled = enabled
        self.rate = rate
        self.target = target
        self.type = type
    }
}

/// BGP settings of a tunnel (stored and served; the lab does not speak BGP).
public struct TunnelBGP: Codable, Sendable, Equatable {
    public var customerASN: Int?
    public var extraPrefixes: [PrefixField]?
    public var md5Key: String?

    public init(customerASN: Int? = nil, extraPrefixes: [PrefixField]? = nil, md5Key: String? = nil) {
        self.customerASN = customerASN
        self.extraPrefixes = extraPrefixes
        self.md5Key = md5Key
    }

    enum CodingKeys: String, CodingKey {
        case customerASN = "customer_asn"
        case extraPrefixes = "extra_prefixes"
        case md5Key = "md5_key"
    }
}

/// The state of a tunnel's BGP session (output only). The mock's edge speaks no BGP: a tunnel with `bgp`
/// settings is served as `BGP_DOWN`.
public struct TunnelBGPStatus: Codable, Sendable, Equatable {
    /// "BGP_DOWN", "BGP_UP" or "BGP_ESTABLISHING".
    public var state: String
    public var tcpEstablished: Bool
    public var updatedAt: String

    public init(state: String, tcpEstablished: Bool, updatedAt: String) {
        self.state = state
        self.tcpEstablished = tcpEstablished
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case state
        case tcpEstablished = "tcp_established"
        case updatedAt = "updated_at"
    }
}

/// When the tunnel's pre-shared key was last generated.
public struct PSKMetadata: Codable, Sendable, Equatable {
    public var lastGeneratedOn: String?

    public init(lastGeneratedOn: String? = nil) { self.lastGeneratedOn = lastGeneratedOn }

    enum CodingKeys: String, CodingKey { case lastGeneratedOn = "last_generated_on" }
}

/// A custom IKE identity (FQDN) the tunnel may also be identified by.
public struct CustomRemoteIdentities: Codable, Sendable, Equatable {
    public var fqdnId: String?

    public init(fqdnId: String? = nil) { self.fqdnId = fqdnId }

    enum CodingKeys: String, CodingKey { case fqdnId = "fqdn_id" }
}

/// An IPsec tunnel of the account.
public struct IPsecTunnel: Codable, Sendable, Equatable {
    public var id: String?
    /// The Cloudflare side's (anycast) address.
    public var cloudflareEndpoint: AddressField?
    /// A /31 (or /30) from private space: the first address is Cloudflare's side, the other the customer's.
    public var interfaceAddress: CIDRField?
    /// An IPv6 /127.
    public var interfaceAddress6: PrefixField?
    public var name: String?
    public var allowNullCipher: Bool?
    public var automaticReturnRouting: Bool?
    public var bgp: TunnelBGP?
    /// Output only.
    public var bgpStatus: TunnelBGPStatus?
    public var createdOn: String?
    public var customRemoteIdentities: CustomRemoteIdentities?
    /// The customer side's address: vconnector binds the tunnel to the site WAN with this static address.
    public var customerEndpoint: AddressField?
    public var description: String?
    public var healthCheck: TunnelHealthCheck?
    public var modifiedOn: String?
    /// Write-only: a body may set the pre-shared key; responses never carry it.
    public var psk: String?
    public var pskMetadata: PSKMetadata?
    public var replayProtection: Bool?

    public init(
        id: String? = nil, cloudflareEndpoint: AddressField? = nil, interfaceAddress: CIDRField? = nil, name: String? = nil,
        customerEndpoint: AddressField? = nil, description: String? = nil, healthCheck: TunnelHealthCheck? = nil, psk: String? = nil
    ) {
        self.id = id
        self.cloudflareEndpoint = cloudflareEndpoint
        self.interfaceAddress = interfaceAddress
        self.name = name
        self.customerEndpoint = customerEndpoint
        self.description = description
        self.healthCheck = healthCheck
        self.psk = psk
    }

    enum CodingKeys: String, CodingKey {
        case id, name, bgp, description, psk
        case cloudflareEndpoint = "cloudflare_endpoint"
        case interfaceAddress = "interface_address"
        case interfaceAddress6 = "interface_address6"
        case allowNullCipher = "allow_null_cipher"
        case automaticReturnRouting = "automatic_return_routing"
        case bgpStatus = "bgp_status"
        case createdOn = "created_on"
        case customRemoteIdentities = "custom_remote_identities"
        case customerEndpoint = "customer_endpoint"
        case healthCheck = "health_check"
        case modifiedOn = "modified_on"
        case pskMetadata = "psk_metadata"
        case replayProtection = "replay_protection"
    }
}
