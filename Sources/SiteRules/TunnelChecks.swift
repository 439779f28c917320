import ConnectorAPI
import Foundation

// Rules of a tunnel's own fields (any family: IPsec, GRE, interconnect), and of an IPsec tunnel in a site. The
// account-wide rules (unique names, no overlapping interfaces, routes keeping their tunnel) need the store and are
// mock-api's.

/// A tunnel as the route checks see it.
struct TunnelFacts {
    let label: String
    let addressing: TunnelAddressing?
}

extension SiteCheck {
    static let healthCheckTypes = ["request", "reply"]
    static let healthCheckDirections = ["unidirectional", "bidirectional"]
    /// Private space the tunnel interface addresses must come from, as the API requires.
    static let privateSpace = [
        IPv4CIDR(address: IPv4Address(value: 0x0A00_0000), prefixLength: 8),
        IPv4CIDR(address: IPv4Address(value: 0xAC10_0000), prefixLength: 12),
        IPv4CIDR(address: IPv4Address(value: 0xC0A8_0000), prefixLength: 16),
    ]
    /// The seed gives the minimum; above an Ethernet frame a tunnel could not cross the Internet.
    static let tunnelMTUs = 576...1500
    static let tunnelTTLs = 1...255
    static let asns = 1...4_294_967_295
    /// As documented for GRE tunnels: "cannot contain spaces or special characters, must be 15 characters or less".
    static let maximumGRENameLength = 15

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
            description: tunnel.description, interfaceAddress: tunnel.interfaceAddress,
            interfaceAddress6: tunnel.interfaceAddress6, healthCheck: tunnel.healthCheck, base: base, owner: owner
        )
        checkBGP(tunnel.bgp, base: "\(base).bgp")
        tunnels.append(TunnelFacts(label: owner, addressing: addressing))
    }

    /// A GRE tunnel's own rules (mock-api's only: the site network builds IPsec tunnels).
    mutating func checkGRETunnel(_ tunnel: GRETunnel, base: String, owner: String) {
        if let name = tunnel.name {
            if let problem = TextRules.idProblem(name) {
                add("\(base).name", .badText, problem)
            } else if name.count > Self.maximumGRENameLength {
                add(
                    "\(base).name", .badText,
                    "is \(name.count) characters long; GRE tunnel names are at most \(Self.maximumGRENameLength)")
            }
        }
        unicast(tunnel.cloudflareGreEndpoint, "\(base).cloudflare_gre_endpoint")
        unicast(tunnel.customerGreEndpoint, "\(base).customer_gre_endpoint")
        _ = checkTunnelCommon(
            description: tunnel.description, interfaceAddress: tunnel.interfaceAddress,
            interfaceAddress6: tunnel.interfaceAddress6, healthCheck: tunnel.healthCheck, base: base, owner: owner
        )
        checkMTU(tunnel.mtu, base: base)
        if let ttl = tunnel.ttl, !Self.tunnelTTLs.contains(ttl) {
            add(
                "\(base).ttl", .outOfRange,
                "\(ttl) is out of range (\(Self.tunnelTTLs.lowerBound)-\(Self.tunnelTTLs.upperBound) hops)")
        }
        checkBGP(tunnel.bgp, base: "\(base).bgp")
    }

    /// An interconnect's own rules (the fields the API lets a client change; Cloudflare provisions the rest).
    mutating func checkInterconnect(_ interconnect: CFInterconnect, base: String, owner: String) {
        for (field, value) in [("name", interconnect.name), ("colo_name", interconnect.coloName)] {
            if let value, value.trimmingCharacters(in: .whitespaces).isEmpty {
                add("\(base).\(field)", .badText, "must not be empty")
            } else {
                text(value, "\(base).\(field)")
            }
        }
        unicast(interconnect.gre?.cloudflareEndpoint, "\(base).gre.cloudflare_endpoint")
        _ = checkTunnelCommon(
            description: interconnect.description, interfaceAddress: interconnect.interfaceAddress,
            interfaceAddress6: interconnect.interfaceAddress6, healthCheck: interconnect.healthCheck, base: base,
            owner: owner
        )
        checkMTU(interconnect.mtu, base: base)
    }

    /// What every tunnel family shares: description, interface addresses, health check. Returns the interface's
    /// two ends when the IPv4 address is usable.
    mutating func checkTunnelCommon(
        description: String?, interfaceAddress: CIDRField?, interfaceAddress6: PrefixField?,
        healthCheck: TunnelHealthCheck?, base: String, owner: String
    ) -> TunnelAddressing? {
        text(description, "\(base).description")
        if let interfaceAddress6 { checkInterfaceAddress6(interfaceAddress6, "\(base).interface_address6") }
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
        let staticWANs = wans.compactMap { wan in wan.staticAddressing?.address?.value?.address }
        guard let customerEndpoint = tunnel.customerEndpoint else {
            add("\(base).customer_endpoint", .required, "required: the address of the static WAN this tunnel leaves by")
            return
        }
        if let endpoint = customerEndpoint.value, !staticWANs.contains(endpoint) {
            add(
                "\(base).customer_endpoint", .unknownReference,
                "\(endpoint) is not the address of one of the site's static WANs; the tunnel leaves by the WAN with this address"
            )
        }
    }

    /// An IPv6 /127 shared by the two ends.
    private mutating func checkInterfaceAddress6(_ field: PrefixField, _ path: String) {
        guard let prefix = field.value, prefix.isIPv6, prefix.hasLength else {
            add(path, .notAPrefix, "'\(field.text)' is not an IPv6 prefix (expected x:x::x/127)")
            return
        }
        if prefix.length != 127 { add(path, .prefixLength, "/\(prefix.length) is not a /127") }
    }

    /// Bytes on the tunnel's link.
    private mutating func checkMTU(_ mtu: Int?, base: String) {
        guard let mtu, !Self.tunnelMTUs.contains(mtu) else { return }
        add(
            "\(base).mtu", .outOfRange,
            "\(mtu) is out of range (\(Self.tunnelMTUs.lowerBound)-\(Self.tunnelMTUs.upperBound) bytes)")
    }

    /// `customer_asn` a 32-bit ASN, `extra_prefixes` IP prefixes, `md5_key` as documented: printable ASCII other
    /// than `"` and `?`.
    private mutating func checkBGP(_ bgp: TunnelBGP?, base: String) {
        guard let bgp else { return }
        if let asn = bgp.customerASN {
            if !Self.asns.contains(asn) {
                add("\(base).customer_asn", .outOfRange, "\(asn) is not an ASN (1-4294967295)")
            }
        } else {
            add("\(base).customer_asn", .required, "required with bgp: the customer's ASN")
        }
        for (index, prefix) in (bgp.extraPrefixes ?? []).enumerated() where prefix.value == nil {
            add("\(base).extra_prefixes[\(index)]", .notAPrefix, "'\(prefix.text)' is not an IP prefix")
        }
        if let key = bgp.md5Key {
            let allowed = key.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) && $0 != "\"" && $0 != "?" }
            if key.isEmpty || !allowed {
                add("\(base).md5_key", .badFormat, "must be printable ASCII without '\"' or '?', and not empty")
            }
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
        if let saved = check.target?.saved, !saved.text.isEmpty { unicast(saved, "\(base).target") }
    }

    /// An address a packet can be sent to: not this-network (0/8), loopback, link-local, multicast, reserved or
    /// broadcast.
    @discardableResult
    mutating func unicast(_ field: AddressField?, _ path: String) -> IPv4Address? {
        guard let address = address(field, path) else { return nil }
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
