import ConnectorAPI

// Rules of a tunnel's own fields (any family: IPsec, GRE, interconnect), and of an IPsec tunnel in a site.

/// A tunnel as the route checks see it.
struct TunnelFacts {
    let label: String
    let addressing: TunnelAddressing?
}

extension SiteCheck {
    static let healthCheckTypes = ["request", "reply"]
    static let healthCheckDirections = ["unidirectional", "bidirectional"]
    /// Private space the tunnel interface addresses must come from, as the API requires.
    static let privateSpace = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].compactMap(IPv4CIDR.init)

    /// An IPsec tunnel's own rules. Its customer endpoint is checked against the site's WANs by `checkTunnelWAN`.
    mutating func checkTunnel(_ tunnel: IPsecTunnel, base: String, owner: String) {
        identifier(tunnel.id, "\(base).id")
        if tunnel.name == nil {
            add("\(base).name", .required, "required: the tunnel's name, unique among the site's tunnels")
        }
        checkName(tunnel.name, "\(base).name", owner: owner, kind: "tunnel", seen: \.tunnelNames)
        if tunnel.cloudflareEndpoint == nil {
            add(
                "\(base).cloudflare_endpoint", .required,
                "required: the address of Cloudflare's side (the anycast endpoint)")
        }
        unicast(tunnel.cloudflareEndpoint, "\(base).cloudflare_endpoint")
        unicast(tunnel.customerEndpoint, "\(base).customer_endpoint")
        if tunnel.interfaceAddress == nil {
            add(
                "\(base).interface_address", .required,
                "required: a /31 (or /30) from private space, Cloudflare's side first, e.g. 10.200.1.0/31")
        }
        let addressing = checkTunnelCommon(
            description: tunnel.description, interfaceAddress: tunnel.interfaceAddress, healthCheck: tunnel.healthCheck,
            base: base, owner: owner
        )
        tunnels.append(TunnelFacts(label: owner, addressing: addressing))
    }

    /// What every tunnel family shares: description, interface address, health check. Returns the interface's two
    /// ends when the address is usable.
    mutating func checkTunnelCommon(
        description: String?, interfaceAddress: String?, healthCheck: TunnelHealthCheck?, base: String, owner: String
    ) -> TunnelAddressing? {
        text(description, "\(base).description")
        var addressing: TunnelAddressing?
        if let cidr = self.interfaceAddress(interfaceAddress, "\(base).interface_address") {
            if let sides = TunnelAddressing(cidr) {
                addressing = sides
                if !Self.privateSpace.contains(where: { $0.contains(cidr) }) {
                    add(
                        "\(base).interface_address", .notPrivate,
                        "\(cidr) is not in private space (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)")
                }
                claims.append(SubnetClaim(kind: .tunnel, cidr: cidr, path: "\(base).interface_address", owner: owner))
            } else if cidr.prefixLength != 30 {
                add(
                    "\(base).interface_address", .prefixLength,
                    "\(cidr) must be a /31 or /30: one address for each side of the tunnel")
            }
        }
        if let healthCheck { checkHealthCheck(healthCheck, base: "\(base).health_check") }
        return addressing
    }

    /// In a site, a tunnel leaves by the static WAN whose address is its customer endpoint.
    mutating func checkTunnelWAN(_ tunnel: IPsecTunnel, base: String, wans: [WAN]) {
        let staticWANs = wans.compactMap { wan in wan.staticAddressing?.address.flatMap(IPv4CIDR.init)?.address }
        guard let text = tunnel.customerEndpoint else {
            add("\(base).customer_endpoint", .required, "required: the address of the static WAN this tunnel leaves by")
            return
        }
        if let endpoint = IPv4Address(text), !staticWANs.contains(endpoint) {
            add(
                "\(base).customer_endpoint", .unknownReference,
                "\(endpoint) is not the address of one of the site's static WANs; the tunnel leaves by the WAN with this address"
            )
        }
    }

    private mutating func checkHealthCheck(_ check: TunnelHealthCheck, base: String) {
        if let rate = check.rate, !Self.healthCheckRates.contains(rate) {
            add("\(base).rate", .notOneOf, "'\(rate)' is not a health check rate (expected low, mid or high)")
        }
        if let type = check.type, !Self.healthCheckTypes.contains(type) {
            add("\(base).type", .notOneOf, "'\(type)' is not a health check type (expected request or reply)")
        }
        if let direction = check.direction, !Self.healthCheckDirections.contains(direction) {
            add(
                "\(base).direction", .notOneOf,
                "'\(direction)' is not a health check direction (expected unidirectional or bidirectional)")
        }
        if let saved = check.target?.saved, !saved.isEmpty { unicast(saved, "\(base).target") }
    }

    /// An address a packet can be sent to: not this-network (0/8), loopback, link-local, multicast, reserved or
    /// broadcast.
    @discardableResult
    mutating func unicast(_ text: String?, _ path: String) -> IPv4Address? {
        guard let address = address(text, path) else { return nil }
        let first = address.value >> 24
        if first == 0 || first == 127 || first >= 224 || address.value >> 16 == 0xA9FE {
            add(
                path, .notUnicast,
                "\(address) is not a unicast address (this-network, loopback, link-local, multicast, reserved and broadcast are refused)"
            )
            return nil
        }
        return address
    }
}
