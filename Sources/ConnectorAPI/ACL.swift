// Site ACLs as documented ("ACLs"): traffic policy between two LANs of the same site.

/// A subnet an ACL side names: an address (`192.168.10.5`, its /32) or a CIDR as written (`192.168.10.0/28`; one
/// with host bits set parses, and the rules refuse it).
public struct ACLSubnet: TextParsable {
    public let cidr: IPv4CIDR
    /// Written as a bare address, without a prefix length.
    public let isAddress: Bool

    public init?(parsing text: String) {
        if let address = IPv4Address(text) {
            cidr = IPv4CIDR(address: address, prefixLength: 32)
            isAddress = true
        } else if let cidr = IPv4CIDR(text) {
            self.cidr = cidr
            isAddress = false
        } else {
            return nil
        }
    }

    /// The address, or the network of the CIDR (`192.168.10.5`, `192.168.10.0/28`), as rules match it.
    public var network: String { isAddress ? cidr.address.description : cidr.networkCIDR }
}

/// One side of an ACL: a LAN of the site, optionally narrowed to ports, port ranges and subnets.
public struct ACLConfiguration: Codable, Sendable, Equatable {
    public var lanId: String?
    public var lanName: String?
    /// Port ranges such as "8000-8100".
    public var portRanges: [String]?
    public var ports: [Int]?
    /// IPv4 addresses or CIDRs within the LAN.
    public var subnets: [Parsed<ACLSubnet>]?

    public init(
        lanId: String? = nil, lanName: String? = nil, portRanges: [String]? = nil, ports: [Int]? = nil,
        subnets: [Parsed<ACLSubnet>]? = nil
    ) {
        self.lanId = lanId
        self.lanName = lanName
        self.portRanges = portRanges
        self.ports = ports
        self.subnets = subnets
    }

    enum CodingKeys: String, CodingKey {
        case ports, subnets
        case lanId = "lan_id"
        case lanName = "lan_name"
        case portRanges = "port_ranges"
    }
}

/// An ACL of a site; also the body of create (name, lan_1, lan_2 required), PUT and PATCH.
public struct ACL: Codable, Sendable, Equatable {
    public var id: String?
    public var description: String?
    /// true: forward locally on the connector; false (default): forward to Cloudflare.
    public var forwardLocally: Bool?
    public var lan1: ACLConfiguration?
    public var lan2: ACLConfiguration?
    public var name: String?
    /// Allowed protocols: "tcp", "udp", "icmp"; none means all.
    public var protocols: [String]?
    public var unidirectional: Bool?

    public init(
        id: String? = nil, description: String? = nil, forwardLocally: Bool? = nil, lan1: ACLConfiguration? = nil,
        lan2: ACLConfiguration? = nil, name: String? = nil, protocols: [String]? = nil, unidirectional: Bool? = nil
    ) {
        self.id = id
        self.description = description
        self.forwardLocally = forwardLocally
        self.lan1 = lan1
        self.lan2 = lan2
        self.name = name
        self.protocols = protocols
        self.unidirectional = unidirectional
    }

    enum CodingKeys: String, CodingKey {
        case id, description, name, protocols, unidirectional
        case forwardLocally = "forward_locally"
        case lan1 = "lan_1"
        case lan2 = "lan_2"
    }
}
