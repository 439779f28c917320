import ConnectorAPI

// Rules of the site's IPsec tunnels and of the Magic routes to them.

/// A tunnel as the route checks see it.
struct TunnelFacts {
    let label: String
    let addressing: TunnelAddressing?
}

extension SiteCheck {
    static let healthCheckTypes = ["request", "reply"]
    static let healthCheckDirections = ["unidirectional", "bidirectional"]
    /// Each tunnel is a charon of its own with its own local NAT-T port (4501 + index): bounded.
    static let maximumTunnels = 32
    /// Private space the tunnel interface addresses must come from, as the API requires.
    static let privateSpace = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].compactMap(IPv4CIDR.init)

    mutating func checkTunnel(_ tunnel: IPsecTunnel, index: Int, wans: [WAN]) {
        let base = "ipsec_tunnels[\(index)]"
        let owner = Self.label("ipsec_tunnels", index, tunnel.name)
        if index == Self.maximumTunnels { add(base, "a site has at most \(Self.maximumTunnels) IPsec tunnels") }
        identifier(tunnel.id, "\(base).id")
        if tunnel.name == nil { add("\(base).name", "required: the tunnel's name, unique among the site's tunnels") }
        checkName(tunnel.name, "\(base).name", owner: owner, kind: "tunnel", seen: \.tunnelNames)
        text(tunnel.description, "\(base).description")

        if tunnel.cloudflareEndpoint == nil { add("\(base).cloudflare_endpoint", "required: the address of Cloudflare's side (the anycast endpoint)") }
        if let endpoint = address(tunnel.cloudflareEndpoint, "\(base).cloudflare_endpoint") { unicast(endpoint, "\(base).cloudflare_endpoint") }

        var addressing: TunnelAddressing?
        if tunnel.interfaceAddress == nil { add("\(base).interface_address", "required: a /31 (or /30) from private space, Cloudflare's side first, e.g. 10.200.1.0/31") }
        if let cidr = interfaceAddress(tunnel.interfaceAddress, "\(base).interface_address") {
            if let sides = TunnelAddressing(cidr) {
                addressing = sides
                if !Self.privateSpace.contains(where: { $0.contains(cidr) }) {
                    add("\(base).interface_address", "\(cidr) is not in private space (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)")
                }
                claims.append(SubnetClaim(kind: .tunnel, cidr: cidr, path: "\(base).interface_address", owner: owner))
            } else {
                add("\(base).interface_address", "\(cidr) must be a /31 or /30: one address for each side of the tunnel")
            }
        }

        // The connector binds a tunnel to the WAN it leaves by: the static WAN whose address is the customer endpoint.
        let staticWANs = wans.compactMap { wan in wan.staticAddressing?.address.flatMap(IPv4CIDR.init).map { ($0.address, wan) } }
        if let text = tunnel.customerEndpoint, let endpoint = address(text, "\(base).customer_endpoint") {
            if !staticWANs.contains(where: { $0.0 == endpoint }) {
                add("\(base).customer_endpoint", "\(endpoint) is not the address of one of the site's static WANs; the tunnel leaves by the WAN with this address")
            }
        } else if tunnel.customerEndpoint == nil {
            add("\(base).customer_endpoint", "required: the address of the static WAN this tunnel leaves by")
        }

        if let psk = tunnel.psk {
            if !(8...256).contains(psk.utf8.count) { add("\(base).psk", "must be 8 to 256 bytes long") }
        } else {
            add("\(base).psk", "required: the pre-shared key the tunnel authenticates with (mock-api's psk_generate gives one)")
        }
        if let fqdn = tunnel.customRemoteIdentities?.fqdnId, !StrongSwan.isIdentity(fqdn) {
            add("\(base).custom_remote_identities.fqdn_id", "'\(fqdn)' is not a domain name (letters, digits, '-' and '.', at most 253)")
        }
        if let check = tunnel.healthCheck { checkHealthCheck(check, base: "\(base).health_check") }
        tunnels.append(TunnelFacts(label: owner, addressing: addressing))
    }

    private mutating func checkHealthCheck(_ check: TunnelHealthCheck, base: String) {
        if let rate = check.rate, !Self.healthCheckRates.contains(rate) {
            add("\(base).rate", "'\(rate)' is not a health check rate (expected low, mid or high)")
        }
        if let type = check.type, !Self.healthCheckTypes.contains(type) {
            add("\(base).type", "'\(type)' is not a health check type (expected request or reply)")
        }
        if let direction = check.direction, !Self.healthCheckDirections.contains(direction) {
            add("\(base).direction", "'\(direction)' is not a health check direction (expected unidirectional or bidirectional)")
        }
        if let saved = check.target?.saved, !saved.isEmpty { _ = address(saved, "\(base).target") }
    }

    /// An address a packet can be sent to: not 0.0.0.0, loopback, multicast or broadcast.
    private mutating func unicast(_ address: IPv4Address, _ path: String) {
        let first = address.value >> 24
        if address.value == 0 || first == 127 || first >= 224 {
            add(path, "\(address) is not a unicast address")
        }
    }

    mutating func checkRoute(_ route: MagicRoute, index: Int) {
        let base = "routes[\(index)]"
        identifier(route.id, "\(base).id")
        text(route.description, "\(base).description")
        if route.prefix == nil { add("\(base).prefix", "required: the prefix the edge sends to this site, e.g. 10.10.0.0/24") }
        _ = networkPrefix(route.prefix, "\(base).prefix")
        if route.nexthop == nil { add("\(base).nexthop", "required: the customer side of one of the site's tunnels") }
        if let hop = address(route.nexthop, "\(base).nexthop"), !tunnels.contains(where: { $0.addressing?.customer == hop }) {
            let sides = tunnels.compactMap { facts in facts.addressing.map { "\($0.customer) (\(facts.label))" } }
            add("\(base).nexthop", "\(hop) is not the customer side of one of the site's tunnels"
                + (sides.isEmpty ? "" : "; expected one of \(sides.joined(separator: ", "))"))
        }
        if route.priority == nil { add("\(base).priority", "required: lower wins, 0 or more") }
        if let priority = route.priority, !(0...Int(UInt32.max)).contains(priority) {
            add("\(base).priority", "\(priority) is out of range (0 to 4294967295)")
        }
        if let weight = route.weight, !(0...255).contains(weight) {
            add("\(base).weight", "\(weight) is out of range (0 to 255)")
        }
    }
}
