import ConnectorAPI

/// A tunnel of any family (GRE, IPsec, interconnect): what the account-wide rules look at.
protocol TunnelObject: MagicObject {
    var name: String? { get }
    var description: String? { get }
    var interfaceAddress: String? { get }
    var interfaceAddress6: String? { get }
    var healthCheck: TunnelHealthCheck? { get set }
    var automaticReturnRouting: Bool? { get set }
}

extension TunnelObject {
    var uniqueName: String? { name }
}

/// One tunnel's interface addresses, for overlap and nexthop checks.
struct TunnelInterface {
    let noun: String
    let id: String
    let v4: IPv4CIDR?
    let v6: IPPrefix?

    init(_ tunnel: some TunnelObject) {
        noun = type(of: tunnel).family.noun
        id = tunnel.id ?? ""
        v4 = tunnel.interfaceAddress.flatMap { IPv4CIDR($0) }
        v6 = tunnel.interfaceAddress6.flatMap { IPPrefix($0) }
    }
}

/// Rules shared by GRE and IPsec tunnels and interconnects: interface addresses, endpoints, health checks, BGP,
/// and the account-wide ones (unique names, no overlapping addresses, routes keep their tunnel).
enum TunnelValidation {
    static let healthCheckTypes = ["reply", "request"]
    static let directions = ["unidirectional", "bidirectional"]
    /// The seed gives the minimum; above an Ethernet frame a tunnel could not cross the Internet.
    static let mtus = 576...1500
    static let privateSpace = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].compactMap { IPv4CIDR($0) }

    /// The rules every tunnel family shares: description, interface addresses, the health check (defaults
    /// filled) and automatic return routing (default off).
    static func prepareCommon<T: TunnelObject>(_ tunnel: inout T, hasDirection: Bool) throws {
        try Rules.description(tunnel.description, "description")
        try interfaceAddress(tunnel.interfaceAddress)
        try interfaceAddress6(tunnel.interfaceAddress6)
        tunnel.healthCheck = try healthCheck(tunnel.healthCheck, hasDirection: hasDirection)
        tunnel.automaticReturnRouting = tunnel.automaticReturnRouting ?? false
    }

    /// A /31 or /30 from RFC 1918 space (as documented); on a /30 the address must be one of its two hosts.
    static func interfaceAddress(_ text: String?, _ field: String = "interface_address") throws {
        guard let cidr = try Rules.cidr(text, field) else { return }
        guard cidr.prefixLength == 31 || cidr.prefixLength == 30 else {
            throw APIError.invalid(field, "/\(cidr.prefixLength) is not a /31 (or /30): a tunnel's interface prefix holds its two ends")
        }
        guard privateSpace.contains(where: { $0.contains(cidr) }) else {
            throw APIError.invalid(field, "\(cidr) is outside the private space 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16")
        }
        if cidr.prefixLength == 30, cidr.address == cidr.network || cidr.address == cidr.broadcast {
            throw APIError.invalid(field, "\(cidr.address) is the network or broadcast address of its /30; use one of its two hosts")
        }
    }

    /// An IPv6 /127.
    static func interfaceAddress6(_ text: String?) throws {
        guard let text else { return }
        guard let prefix = IPPrefix(text), prefix.bytes.count == 16, text.contains("/") else {
            throw APIError.invalid("interface_address6", "\(Rules.quoted(text)) is not an IPv6 prefix (expected x:x::x/127)")
        }
        guard prefix.length == 127 else {
            throw APIError.invalid("interface_address6", "/\(prefix.length) is not a /127")
        }
    }

    /// A unicast IPv4 address: not 0.0.0.0/8, loopback, link-local, multicast, reserved or broadcast.
    static func unicast(_ text: String?, _ field: String) throws {
        guard let address = try Rules.ipv4(text, field) else { return }
        let first = address.value >> 24
        let linkLocal = address.value >> 16 == 0xA9FE
        if first == 0 || first == 127 || first >= 224 || linkLocal {
            throw APIError.invalid(field, "\(address) is not a unicast address (this-network, loopback, link-local, multicast, reserved and broadcast are refused)")
        }
    }

    static func mtu(_ value: Int?) throws {
        if let value, !mtus.contains(value) {
            throw APIError.invalid("mtu", "\(value) is out of range (\(mtus.lowerBound)-\(mtus.upperBound) bytes)")
        }
    }

    /// Checks the enums and the target, and fills the documented defaults (enabled, rate mid, type reply and, for
    /// tunnels that have one, direction bidirectional). The target is kept as saved; `effective` is output only.
    static func healthCheck(_ check: TunnelHealthCheck?, hasDirection: Bool) throws -> TunnelHealthCheck {
        var check = check ?? TunnelHealthCheck()
        try oneOf(check.rate, WANValidation.healthCheckRates, "health_check.rate")
        try oneOf(check.type, healthCheckTypes, "health_check.type")
        try oneOf(check.direction, directions, "health_check.direction")
        let saved = check.target?.saved ?? ""
        if !saved.isEmpty { try unicast(saved, "health_check.target") }
        check.target = HealthCheckTarget(saved: saved)
        check.enabled = check.enabled ?? true
        check.rate = check.rate ?? "mid"
        check.type = check.type ?? "reply"
        if hasDirection { check.direction = check.direction ?? "bidirectional" }
        return check
    }

    static func oneOf(_ value: String?, _ allowed: [String], _ field: String) throws {
        if let value, !allowed.contains(value) {
            throw APIError.invalid(field, "\(Rules.quoted(value)) is not one of \(allowed.joined(separator: ", "))")
        }
    }

    /// `customer_asn` a 32-bit ASN, `extra_prefixes` prefixes, `md5_key` as documented: printable ASCII other
    /// than `"` and `?`.
    static func bgp(_ bgp: TunnelBGP?) throws {
        guard let bgp else { return }
        guard let asn = bgp.customerASN else { throw APIError.missing("bgp.customer_asn") }
        guard (1...4_294_967_295).contains(asn) else {
            throw APIError.invalid("bgp.customer_asn", "\(asn) is not an ASN (1-4294967295)")
        }
        for (index, prefix) in (bgp.extraPrefixes ?? []).enumerated() where IPPrefix(prefix) == nil {
            throw APIError.invalid("bgp.extra_prefixes[\(index)]", "\(Rules.quoted(prefix)) is not an IP prefix")
        }
        if let key = bgp.md5Key {
            let allowed = key.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) && $0 != "\"" && $0 != "?" }
            guard !key.isEmpty, allowed else {
                throw APIError.invalid("bgp.md5_key", "must be printable ASCII without '\"' or '?', and not empty")
            }
        }
    }

    /// The account-wide rules: the name is no other tunnel's; the addresses overlap no other tunnel's nor any
    /// site LAN's subnet; every route still has a tunnel for its nexthop with this tunnel's new addresses.
    static func checkAccount(_ tunnel: some TunnelObject, scope: AccountScope) throws {
        if let name = tunnel.name, let other = try MagicObjectStore.tunnelNamed(name, db: scope.db, account: scope.account, excluding: tunnel.id) {
            throw APIError.conflict("name: \(noun(kind: other.kind)) '\(other.id)' is already named \(Rules.quoted(name)); tunnel names are unique in the account")
        }
        let mine = TunnelInterface(tunnel)
        let others = try interfaces(scope: scope, excluding: tunnel.id)
        if let v4 = mine.v4 {
            if let other = others.first(where: { $0.v4?.overlaps(v4) == true }) {
                throw APIError.conflict("interface_address: \(v4) overlaps \(other.noun) '\(other.id)' (\(other.v4?.description ?? ""))")
            }
            for lan in try LAN.table.list(LAN.self, db: scope.db, account: scope.account) {
                if let subnet = lan.staticAddressing?.address.flatMap({ IPv4CIDR($0) }), subnet.overlaps(v4) {
                    throw APIError.conflict("interface_address: \(v4) overlaps the subnet \(subnet.networkCIDR) of LAN '\(lan.id ?? "")'")
                }
            }
        }
        if let v6 = mine.v6, let other = others.first(where: { $0.v6.map { $0.contains(v6) || v6.contains($0) } == true }) {
            throw APIError.conflict("interface_address6: overlaps \(other.noun) '\(other.id)'")
        }
        try RouteValidation.checkNexthops(scope: scope, interfaces: others + [mine], change: "this change to \(mine.noun) '\(mine.id)'")
    }

    /// Every tunnel of the account (GRE, IPsec, interconnect) but `id`.
    static func interfaces(scope: AccountScope, excluding id: String?) throws -> [TunnelInterface] {
        func of<T: TunnelObject>(_ type: T.Type) throws -> [TunnelInterface] {
            try MagicObjectStore.list(type, db: scope.db, account: scope.account).filter { $0.id != id }.map(TunnelInterface.init)
        }
        return try of(GRETunnel.self) + of(IPsecTunnel.self) + of(CFInterconnect.self)
    }

    /// "GRE tunnel" for the stored kind `gre_tunnel`.
    static func noun(kind: String) -> String {
        [GRETunnel.family, IPsecTunnel.family, CFInterconnect.family].first { $0.key == kind }?.noun ?? kind
    }

    /// The other end of a tunnel's interface prefix: on a /31 the other address, on a /30 the other host.
    static func peer(of cidr: IPv4CIDR) -> IPv4Address {
        if cidr.prefixLength == 31 { return IPv4Address(value: cidr.address.value ^ 1) }
        let first = cidr.network.value + 1
        return IPv4Address(value: cidr.address.value == first ? first + 1 : first)
    }

    /// Refuses deleting a tunnel that a route still sends traffic through (the tunnel is already removed in the
    /// transaction, so the remaining tunnels are the ones to check against).
    static func checkDelete(_ tunnel: some TunnelObject, scope: AccountScope) throws {
        let noun = type(of: tunnel).family.noun
        try RouteValidation.checkNexthops(
            scope: scope, interfaces: try interfaces(scope: scope, excluding: nil), change: "deleting \(noun) '\(tunnel.id ?? "")'"
        )
    }
}
