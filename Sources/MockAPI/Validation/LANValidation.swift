import ConnectorAPI

/// Rules of a LAN: addressing, DHCP, NAT and routed subnets, and what an HA site requires.
enum LANValidation {
    /// Validates `lan` as it would be stored in a site (`haSite`: the site runs in HA mode).
    static func validate(_ lan: LAN, haSite: Bool) throws {
        try Rules.name(lan.name, "name")
        try Rules.vlanTag(lan.vlanTag)
        try Rules.physport(lan.physport)
        if let bond = lan.bondId, bond < 0 { throw APIError.invalid("bond_id", "\(bond) must be 0 or more") }

        var subnet: IPv4CIDR?
        if let addressing = lan.staticAddressing {
            subnet = try validateAddressing(addressing, haSite: haSite)
        } else if haSite {
            throw APIError.invalid(
                "static_addressing", "required in a high-availability site (with address, secondary_address and virtual_address)"
            )
        }
        if lan.haLink == true, !haSite {
            throw APIError.invalid("ha_link", "only a LAN of a high-availability site can be the HA link")
        }
        if let prefix = try Rules.cidr(lan.nat?.staticPrefix, "nat.static_prefix") {
            guard let subnet else {
                throw APIError.invalid("nat.static_prefix", "NAT needs static_addressing.address to know the LAN prefix")
            }
            try sameSize(prefix, subnet, "nat.static_prefix", "static_addressing.address")
        }
        for (index, routed) in (lan.routedSubnets ?? []).enumerated() {
            let field = "routed_subnets[\(index)]"
            guard let prefixText = routed.prefix else { throw APIError.missing("\(field).prefix") }
            guard let hopText = routed.nextHop else { throw APIError.missing("\(field).next_hop") }
            let prefix = try Rules.cidr(prefixText, "\(field).prefix")!
            let hop = try Rules.ipv4(hopText, "\(field).next_hop")!
            if let subnet { try Rules.inside(hop, subnet, "\(field).next_hop", "static_addressing.address") }
            if let nat = try Rules.cidr(routed.nat?.staticPrefix, "\(field).nat.static_prefix") {
                try sameSize(nat, prefix, "\(field).nat.static_prefix", "\(field).prefix")
            }
        }
    }

    private static func validateAddressing(_ addressing: LANStaticAddressing, haSite: Bool) throws -> IPv4CIDR {
        let base = "static_addressing"
        guard let addressText = addressing.address else { throw APIError.missing("\(base).address") }
        let subnet = try Rules.cidr(addressText, "\(base).address")!
        for (value, name) in [(addressing.secondaryAddress, "secondary_address"), (addressing.virtualAddress, "virtual_address")] {
            if let cidr = try Rules.cidr(value, "\(base).\(name)") {
                try Rules.inside(cidr.address, subnet, "\(base).\(name)", "\(base).address")
                if cidr.prefixLength != subnet.prefixLength {
                    throw APIError.invalid("\(base).\(name)", "prefix /\(cidr.prefixLength) differs from the LAN's /\(subnet.prefixLength)")
                }
            }
        }
        if haSite {
            if addressing.secondaryAddress == nil {
                throw APIError.invalid("\(base).secondary_address", "required in a high-availability site")
            }
            if addressing.virtualAddress == nil {
                throw APIError.invalid("\(base).virtual_address", "required in a high-availability site")
            }
        }
        if addressing.dhcpServer != nil, addressing.dhcpRelay != nil {
            throw APIError.invalid(base, "dhcp_server and dhcp_relay are mutually exclusive; give one")
        }
        if let server = addressing.dhcpServer {
            try validateDHCPServer(server, subnet: subnet, base: "\(base).dhcp_server")
        }
        for (index, text) in (addressing.dhcpRelay?.serverAddresses ?? []).enumerated() {
            _ = try Rules.ipv4(text, "\(base).dhcp_relay.server_addresses[\(index)]")
        }
        return subnet
    }

    private static func validateDHCPServer(_ server: DHCPServer, subnet: IPv4CIDR, base: String) throws {
        let start = try Rules.ipv4(server.dhcpPoolStart, "\(base).dhcp_pool_start")
        let end = try Rules.ipv4(server.dhcpPoolEnd, "\(base).dhcp_pool_end")
        switch (start, end) {
        case (let start?, let end?):
            try Rules.inside(start, subnet, "\(base).dhcp_pool_start", "static_addressing.address")
            try Rules.inside(end, subnet, "\(base).dhcp_pool_end", "static_addressing.address")
            if start > end {
                throw APIError.invalid("\(base).dhcp_pool_start", "\(start) is after dhcp_pool_end \(end)")
            }
        case (nil, nil):
            break
        case (nil, _):
            throw APIError.missing("\(base).dhcp_pool_start")
        case (_, nil):
            throw APIError.missing("\(base).dhcp_pool_end")
        }
        _ = try Rules.ipv4(server.dnsServer, "\(base).dns_server")
        for (index, text) in (server.dnsServers ?? []).enumerated() {
            _ = try Rules.ipv4(text, "\(base).dns_servers[\(index)]")
        }
        for mac in (server.reservations ?? [:]).keys.sorted() {
            let field = "\(base).reservations[\(TextRules.printable(mac, limit: 64))]"
            guard MACAddress.isValid(mac) else {
                throw APIError.invalid(field, "\(Rules.quoted(mac)) is not a MAC address (six hex pairs, aa:bb:cc:dd:ee:ff)")
            }
            let ip = try Rules.ipv4(server.reservations![mac], field)!
            try Rules.inside(ip, subnet, field, "static_addressing.address")
        }
    }

    private static func sameSize(_ prefix: IPv4CIDR, _ other: IPv4CIDR, _ field: String, _ otherField: String) throws {
        guard prefix.prefixLength == other.prefixLength else {
            throw APIError.invalid(
                field, "/\(prefix.prefixLength) must be the same size as \(otherField) (/\(other.prefixLength))"
            )
        }
    }
}
