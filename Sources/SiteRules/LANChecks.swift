import ConnectorAPI

// Rules of a LAN: port, addressing (and what an HA site requires), DHCP server or relay, NAT, routed subnets.

extension SiteCheck {
    mutating func checkLAN(_ lan: LAN, base: String, owner: String) {
        checkName(lan.name, "\(base).name", owner: owner, kind: "LAN", seen: \.lanNames)
        identifier(lan.id, "\(base).id")
        identifier(lan.siteId, "\(base).site_id")
        if let id = lan.id {
            if let first = lanIDs[id] {
                add("\(base).id", .duplicate, "'\(id)' is already the id of \(first); LAN ids must be unique")
            } else {
                lanIDs[id] = owner
            }
        }
        if lan.physport == nil, lan.bondId == nil {
            add("\(base).physport", .required, "required: the port this LAN is on (1 or more), or a bond_id")
        }
        checkPort(physport: lan.physport, vlanTag: lan.vlanTag, base: base, owner: owner)
        if let bond = lan.bondId, bond < 0 {
            add("\(base).bond_id", .outOfRange, "\(bond) is negative; bond ids are 0 or more")
        }
        if lan.haLink == true {
            if !haSite {
                add(
                    "\(base).ha_link", .needsHA,
                    "only a LAN of a high-availability site (site.ha_mode: true) can be the HA link")
            } else if let first = haLinkOwner {
                add("\(base).ha_link", .duplicate, "\(first) is already the HA link; only one LAN can be")
            } else {
                haLinkOwner = owner
            }
        }

        var own: [(IPv4Address, String)] = []
        var subnet: IPv4CIDR?
        if let addressing = lan.staticAddressing {
            (subnet, own) = checkLANAddressing(addressing, base: "\(base).static_addressing", owner: owner)
        } else if haSite {
            add(
                "\(base).static_addressing", .requiredInHA,
                "required in a high-availability site, with address, secondary_address and virtual_address"
            )
        }

        if let prefix = networkPrefix(lan.nat?.staticPrefix, "\(base).nat.static_prefix") {
            if let subnet {
                sameSize(prefix, as: subnet, "\(base).nat.static_prefix", "the LAN subnet")
            } else {
                add(
                    "\(base).nat.static_prefix", .inconsistent,
                    "NAT needs static_addressing.address to know the LAN prefix it translates")
            }
        }

        var routed: [IPv4CIDR] = []
        for (position, route) in (lan.routedSubnets ?? []).enumerated() {
            let field = "\(base).routed_subnets[\(position)]"
            if let prefix = checkRoutedSubnet(route, field: field, subnet: subnet, own: own, owner: owner) {
                routed.append(prefix)
            }
        }
        lans.append(
            LANFacts(
                index: lans.count, label: owner, id: lan.id, name: lan.name, subnet: subnet, routedPrefixes: routed))
    }

    /// Checks the addressing; returns the LAN subnet (nil if unusable) and the connector's own addresses on it.
    private mutating func checkLANAddressing(
        _ addressing: LANStaticAddressing, base: String, owner: String
    ) -> (IPv4CIDR?, [(IPv4Address, String)]) {
        if addressing.address == nil {
            add(
                "\(base).address", .required,
                "required with static_addressing: the LAN's address and prefix, e.g. 192.168.10.1/24")
        }
        let subnet = interfaceAddress(addressing.address, "\(base).address")
        if let subnet {
            claims.append(SubnetClaim(kind: .lan, cidr: subnet, path: "\(base).address", owner: owner))
        }
        var own: [(IPv4Address, String)] = subnet.map { [($0.address, "static_addressing.address")] } ?? []

        let extras = [
            ("secondary_address", addressing.secondaryAddress, "the secondary connector's address on this LAN"),
            ("virtual_address", addressing.virtualAddress, "the address both connectors share as the LAN's gateway"),
        ]
        for (name, value, meaning) in extras {
            let path = "\(base).\(name)"
            if value == nil, haSite {
                add(path, .requiredInHA, "required in a high-availability site: \(meaning)")
            }
            guard let cidr = interfaceAddress(value, path), let subnet else { continue }
            if !subnet.contains(cidr.address) {
                add(
                    path, .outsideSubnet,
                    "\(cidr.address) is outside the LAN subnet \(subnet.networkCIDR) (static_addressing.address)")
            } else if cidr.prefixLength != subnet.prefixLength {
                add(
                    path, .prefixLength,
                    "prefix /\(cidr.prefixLength) differs from the LAN's /\(subnet.prefixLength) (static_addressing.address)"
                )
            } else if let same = own.first(where: { $0.0 == cidr.address }) {
                add(
                    path, .duplicate,
                    "\(cidr.address) is already \(same.1); each connector address on the LAN must differ")
            } else {
                own.append((cidr.address, "static_addressing.\(name)"))
            }
        }

        if addressing.dhcpServer != nil, addressing.dhcpRelay != nil {
            add(
                base, .inconsistent,
                "dhcp_server and dhcp_relay are mutually exclusive: the LAN either serves DHCP or relays it; give one")
        }
        if let server = addressing.dhcpServer {
            checkDHCPServer(server, base: "\(base).dhcp_server", subnet: subnet, own: own)
        }
        if let relay = addressing.dhcpRelay {
            checkDHCPRelay(relay, base: "\(base).dhcp_relay", own: own)
        }
        return (subnet, own)
    }

    private mutating func checkDHCPServer(
        _ server: DHCPServer, base: String, subnet: IPv4CIDR?, own: [(IPv4Address, String)]
    ) {
        let startPath = "\(base).dhcp_pool_start"
        let endPath = "\(base).dhcp_pool_end"
        if server.dhcpPoolStart == nil, server.dhcpPoolEnd != nil {
            add(startPath, .required, "required with dhcp_pool_end: the pool is dhcp_pool_start to dhcp_pool_end")
        }
        let start = poolBound(server.dhcpPoolStart, startPath, subnet: subnet)
        if server.dhcpPoolEnd == nil, server.dhcpPoolStart != nil {
            add(endPath, .required, "required with dhcp_pool_start: the pool is dhcp_pool_start to dhcp_pool_end")
        }
        let end = poolBound(server.dhcpPoolEnd, endPath, subnet: subnet)
        if let start, let end {
            if end < start {
                add(endPath, .outOfRange, "\(end) is before dhcp_pool_start \(start); the pool runs from start to end")
            } else if subnet.map({ $0.contains(start) && $0.contains(end) }) ?? true {
                for (mine, field) in own where start <= mine && mine <= end {
                    add(
                        base, .ownAddress,
                        "the pool \(start)-\(end) includes the connector's own address \(mine) (\(field)); leave it out of the pool"
                    )
                }
            }
        }

        _ = address(server.dnsServer, "\(base).dns_server")
        for (index, text) in (server.dnsServers ?? []).enumerated() {
            _ = address(text, "\(base).dns_servers[\(index)]")
        }

        var macs: [String: String] = [:]
        var reserved: [IPv4Address: String] = [:]
        let reservations = server.reservations ?? [:]
        for mac in reservations.keys.sorted() {
            let path = "\(base).reservations[\"\(Self.key(mac))\"]"
            if let normal = MACAddress.normalized(mac) {
                if let first = macs[normal] {
                    add(
                        path, .duplicate,
                        "'\(mac)' is the same MAC as reservations[\"\(Self.key(first))\"] (MAC addresses ignore case); one reservation per host"
                    )
                } else {
                    macs[normal] = mac
                }
            } else {
                add(path, .badFormat, "'\(mac)' is not a MAC address (expected six hex pairs, e.g. 02:00:00:00:10:0a)")
            }
            guard let ip = address(reservations[mac], path) else { continue }
            if let subnet {
                if !subnet.contains(ip) {
                    add(
                        path, .outsideSubnet,
                        "\(ip) is outside the LAN subnet \(subnet.networkCIDR) (static_addressing.address)")
                    continue
                }
                if let special = Self.reserved(ip, in: subnet) {
                    add(
                        path, .notAHost,
                        "\(ip) is the \(special) of the LAN subnet \(subnet.networkCIDR); reserve a host address")
                    continue
                }
            }
            if let mine = own.first(where: { $0.0 == ip }) {
                add(path, .ownAddress, "\(ip) is the connector's own address (\(mine.1)); reserve another address")
            } else if let first = reserved[ip] {
                add(path, .duplicate, "\(ip) is already reserved for '\(first)'; each host needs its own address")
            } else {
                reserved[ip] = mac
            }
        }
    }

    /// A pool bound: an address inside the LAN subnet that is neither its network nor its broadcast address.
    private mutating func poolBound(_ field: AddressField?, _ path: String, subnet: IPv4CIDR?) -> IPv4Address? {
        guard let bound = address(field, path) else { return nil }
        guard let subnet else { return bound }
        if !subnet.contains(bound) {
            add(
                path, .outsideSubnet,
                "\(bound) is outside the LAN subnet \(subnet.networkCIDR) (static_addressing.address)")
        } else if let special = Self.reserved(bound, in: subnet) {
            add(
                path, .notAHost,
                "\(bound) is the \(special) of the LAN subnet \(subnet.networkCIDR); the pool holds host addresses only"
            )
        }
        return bound
    }

    private mutating func checkDHCPRelay(_ relay: DHCPRelay, base: String, own: [(IPv4Address, String)]) {
        let servers = relay.serverAddresses ?? []
        if servers.isEmpty {
            add(
                "\(base).server_addresses", .required, "required: at least one DHCP server address to relay requests to"
            )
        }
        var seen: Set<IPv4Address> = []
        for (index, text) in servers.enumerated() {
            let path = "\(base).server_addresses[\(index)]"
            guard let server = address(text, path) else { continue }
            if let mine = own.first(where: { $0.0 == server }) {
                add(
                    path, .ownAddress,
                    "\(server) is the connector's own address (\(mine.1)); relay to another DHCP server")
            } else if !seen.insert(server).inserted {
                add(path, .duplicate, "\(server) is listed twice")
            }
        }
    }

    /// Checks one routed subnet; returns its prefix when it parses.
    private mutating func checkRoutedSubnet(
        _ route: RoutedSubnet, field: String, subnet: IPv4CIDR?, own: [(IPv4Address, String)], owner: String
    ) -> IPv4CIDR? {
        if route.prefix == nil {
            add("\(field).prefix", .required, "required: the subnet routed behind next_hop, e.g. 10.20.0.0/16")
        }
        if route.nextHop == nil {
            add("\(field).next_hop", .required, "required: the router on the LAN the prefix is reached through")
        }
        let prefix = networkPrefix(route.prefix, "\(field).prefix")
        if let hop = address(route.nextHop, "\(field).next_hop"), let subnet {
            if !subnet.contains(hop) {
                add(
                    "\(field).next_hop", .outsideSubnet,
                    "\(hop) is outside the LAN subnet \(subnet.networkCIDR) (static_addressing.address); the next hop must be on the LAN"
                )
            } else if let mine = own.first(where: { $0.0 == hop }) {
                add(
                    "\(field).next_hop", .ownAddress,
                    "\(hop) is the connector's own address (\(mine.1)); the next hop is another router on the LAN")
            } else if let special = Self.reserved(hop, in: subnet) {
                add(
                    "\(field).next_hop", .notAHost,
                    "\(hop) is the \(special) of the LAN subnet \(subnet.networkCIDR); the next hop is a host")
            }
        }
        if let nat = networkPrefix(route.nat?.staticPrefix, "\(field).nat.static_prefix"), let prefix {
            sameSize(nat, as: prefix, "\(field).nat.static_prefix", "prefix")
        }
        if let prefix {
            claims.append(SubnetClaim(kind: .routed, cidr: prefix, path: "\(field).prefix", owner: owner))
        }
        return prefix
    }

    /// Static NAT maps a prefix one to one, so both sides must be the same size.
    private mutating func sameSize(_ nat: IPv4CIDR, as other: IPv4CIDR, _ path: String, _ otherName: String) {
        guard nat.prefixLength != other.prefixLength else { return }
        add(
            path, .prefixLength,
            "/\(nat.prefixLength) must be the same size as \(otherName) \(other.networkCIDR) (/\(other.prefixLength)); static NAT maps addresses one to one"
        )
    }

    /// Conflicts between subnets: connected subnets (WAN and LAN) must not overlap each other, a routed subnet
    /// must not overlap a connected one, and no prefix may be routed twice. Reported at the later claim.
    mutating func checkOverlaps() {
        for (position, claim) in claims.enumerated() {
            for earlier in claims[..<position] where claim.cidr.overlaps(earlier.cidr) {
                let bothRouted = claim.kind == .routed && earlier.kind == .routed
                if bothRouted, claim.cidr.networkCIDR != earlier.cidr.networkCIDR { continue }  // longest match decides
                add(claim.path, .overlap, overlapMessage(claim, earlier))
                break
            }
        }
    }

    private func overlapMessage(_ claim: SubnetClaim, _ earlier: SubnetClaim) -> String {
        let mine = claim.cidr.networkCIDR
        let theirs = earlier.cidr.networkCIDR
        switch (claim.kind, earlier.kind) {
        case (.routed, .routed):
            return "\(mine) is already routed by \(earlier.owner) (\(earlier.path)); route each prefix once"
        case (.routed, _):
            let what = earlier.kind == .wan ? "WAN" : "LAN"
            return
                "\(mine) overlaps the \(what) subnet \(theirs) of \(earlier.owner); a routed subnet must lie outside the site's own subnets"
        case (_, .routed):
            return
                "\(mine) overlaps \(theirs), routed by \(earlier.owner) (\(earlier.path)); subnets of the site must not overlap"
        case (.tunnel, _), (_, .tunnel):
            return
                "\(mine) overlaps \(theirs) of \(earlier.owner) (\(earlier.path)); a tunnel's interface subnet must not overlap the site's subnets or other tunnels"
        default:
            let what = earlier.kind == .wan ? "WAN" : "LAN"
            return
                "\(mine) overlaps the \(what) subnet \(theirs) of \(earlier.owner); subnets of the site must not overlap"
        }
    }
}
