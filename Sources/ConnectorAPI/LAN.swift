// Site LANs as documented ("LANs").

/// NAT of a LAN or routed subnet: the prefix the LAN's prefix is statically translated to.
public struct NAT: Codable, Sendable, Equatable {
    public var staticPrefix: CIDRField?

    public init(staticPrefix: CIDRField? = nil) { self.staticPrefix = staticPrefix }

    enum CodingKeys: String, CodingKey {
        case staticPrefix = "static_prefix"
    }
}

/// A subnet behind a next hop on the LAN.
public struct RoutedSubnet: Codable, Sendable, Equatable {
    public var nextHop: AddressField?
    public var prefix: CIDRField?
    public var nat: NAT?

    public init(nextHop: AddressField? = nil, prefix: CIDRField? = nil, nat: NAT? = nil) {
        self.nextHop = nextHop
        self.prefix = prefix
        self.nat = nat
    }

    enum CodingKeys: String, CodingKey {
        case prefix, nat
        case nextHop = "next_hop"
    }
}

/// DHCP relay: the servers requests are forwarded to.
public struct DHCPRelay: Codable, Sendable, Equatable {
    public var serverAddresses: [AddressField]?

    public init(serverAddresses: [AddressField]? = nil) { self.serverAddresses = serverAddresses }

    enum CodingKeys: String, CodingKey {
        case serverAddresses = "server_addresses"
    }
}

/// DHCP server on the LAN: pool, DNS and MAC -> IP reservations.
public struct DHCPServer: Codable, Sendable, Equatable {
    public var dhcpPoolEnd: AddressField?
    public var dhcpPoolStart: AddressField?
    public var dnsServer: AddressField?
    public var dnsServers: [AddressField]?
    /// MAC address (as written) -> the address reserved for it.
    public var reservations: [String: AddressField]?

    public init(
        dhcpPoolEnd: AddressField? = nil, dhcpPoolStart: AddressField? = nil, dnsServer: AddressField? = nil,
        dnsServers: [AddressField]? = nil, reservations: [String: AddressField]? = nil
    ) {
        self.dhcpPoolEnd = dhcpPoolEnd
        self.dhcpPoolStart = dhcpPoolStart
        self.dnsServer = dnsServer
        self.dnsServers = dnsServers
        self.reservations = reservations
    }

    enum CodingKeys: String, CodingKey {
        case reservations
        case dhcpPoolEnd = "dhcp_pool_end"
        case dhcpPoolStart = "dhcp_pool_start"
        case dnsServer = "dns_server"
        case dnsServers = "dns_servers"
    }
}

/// Static addressing of a LAN; in an HA site `secondary_address` and `virtual_address` are required too.
public struct LANStaticAddressing: Codable, Sendable, Equatable {
    public var address: CIDRField?
    public var dhcpRelay: DHCPRelay?
    public var dhcpServer: DHCPServer?
    public var secondaryAddress: CIDRField?
    public var virtualAddress: CIDRField?

    public init(
        address: CIDRField? = nil, dhcpRelay: DHCPRelay? = nil, dhcpServer: DHCPServer? = nil,
        secondaryAddress: CIDRField? = nil, virtualAddress: CIDRField? = nil
    ) {
        self.address = address
        self.dhcpRelay = dhcpRelay
        self.dhcpServer = dhcpServer
        self.secondaryAddress = secondaryAddress
        self.virtualAddress = virtualAddress
    }

    enum CodingKeys: String, CodingKey {
        case address
        case dhcpRelay = "dhcp_relay"
        case dhcpServer = "dhcp_server"
        case secondaryAddress = "secondary_address"
        case virtualAddress = "virtual_address"
    }
}

/// A LAN of a site; also the body of create, PUT and PATCH (`id`, `site_id` are ignored in bodies).
public struct LAN: Codable, Sendable, Equatable {
    public var id: String?
    public var bondId: Int?
    /// Use this LAN for HA probing (HA sites only; at most one per site).
    public var haLink: Bool?
    public var isBreakout: Bool?
    public var isPrioritized: Bool?
    public var name: String?
    public var nat: NAT?
    public var physport: Int?
    public var routedSubnets: [RoutedSubnet]?
    public var siteId: String?
    public var staticAddressing: LANStaticAddressing?
    /// VLAN ID, 0 for untagged.
    public var vlanTag: Int?

    public init(
        id: String? = nil, bondId: Int? = nil, haLink: Bool? = nil, isBreakout: Bool? = nil,
        isPrioritized: Bool? = nil, name: String? = nil, nat: NAT? = nil, physport: Int? = nil,
        routedSubnets: [RoutedSubnet]? = nil, siteId: String? = nil, staticAddressing: LANStaticAddressing? = nil,
        vlanTag: Int? = nil
    ) {
        self.id = id
        self.bondId = bondId
        self.haLink = haLink
        self.isBreakout = isBreakout
        self.isPrioritized = isPrioritized
        self.name = name
        self.nat = nat
        self.physport = physport
        self.routedSubnets = routedSubnets
        self.siteId = siteId
        self.staticAddressing = staticAddressing
        self.vlanTag = vlanTag
    }

    enum CodingKeys: String, CodingKey {
        case id, name, nat, physport
        case bondId = "bond_id"
        case haLink = "ha_link"
        case isBreakout = "is_breakout"
        case isPrioritized = "is_prioritized"
        case routedSubnets = "routed_subnets"
        case siteId = "site_id"
        case staticAddressing = "static_addressing"
        case vlanTag = "vlan_tag"
    }
}
