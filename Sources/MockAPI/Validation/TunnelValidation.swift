import ConnectorAPI
import SiteRules

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

/// Tunnels in the account: their own fields by the shared site rules (the defaults filled here), what only the
/// mock's families have (IPv6 interface, MTU, BGP), and the account-wide rules (unique names, no overlapping
/// addresses, routes keep their tunnel), which need the store.
enum TunnelValidation {
    /// The seed gives the minimum; above an Ethernet frame a tunnel could not cross the Internet.
    static let mtus = 576...1500

    /// An IPsec tunnel's own rules, every problem at once; then the common defaults.
    static func prepare(_ tunnel: inout IPsecTunnel) throws {
        var problems = SiteRulebook.problems(of: tunnel)
        if let text = tunnel.interfaceAddress6, let problem = interfaceAddress6Problem(text) { problems.append(problem) }
        try APIError.check(problems)
        fillDefaults(&tunnel, hasDirection: true)
    }

    /// The rules every tunnel family shares: description, interface addresses, the health check; then the
    /// defaults (health check filled, automatic return routing off).
    static func prepareCommon<T: TunnelObject>(_ tunnel: inout T, hasDirection: Bool) throws {
        var problems = SiteRulebook.tunnelProblems(
            description: tunnel.description, interfaceAddress: tunnel.interfaceAddress, healthCheck: tunnel.healthCheck
        )
        if let text = tunnel.interfaceAddress6, let problem = interfaceAddress6Problem(text) { problems.append(problem) }
        try APIError.check(problems)
        fillDefaults(&tunnel, hasDirection: hasDirection)
    }

    /// The documented defaults: health check enabled, rate mid, type reply and, for tunnels that have one, direction
    /// bidirectional; the target kept as saved (`effective` is output only); automatic return routing off.
    static func fillDefaults<T: TunnelObject>(_ tunnel: inout T, hasDirection: Bool) {
        var check = tunnel.healthCheck ?? TunnelHealthCheck()
        check.target = HealthCheckTarget(saved: check.target?.saved ?? "")
        check.enabled = check.enabled ?? true
        check.rate = check.rate ?? "mid"
        check.type = check.type ?? "reply"
        if hasDirection { check.direction = check.direction ?? "bidirectional" }
        tunnel.healthCheck = check
        tunnel.automaticReturnRouting = tunnel.automaticReturnRouting ?? false
    }

    /// An IPv6 /127 (only the mock's tunnel families carry one; the site rules are IPv4).
    static func interfaceAddress6Problem(_ text: String) -> SiteProblem? {
        guard let prefix = IPPrefix(text), prefix.bytes.count == 16, text.contains("/") else {
            return SiteProblem("interface_address6", .notAPrefix, "\(Rules.quoted(text)) is not an IPv6 prefix (expected x:x::x/127)")
        }
        guard prefix.length == 127 else { return SiteProblem("interface_address6", .prefixLength, "/\(prefix.length) is not a /127") }
        return nil
    }

    /// An endpoint: a unicast IPv4 address.
    static func unicast(_ text: String?, _ field: String) throws {
        try APIError.check(SiteRulebook.unicastProblems(text, path: field))
    }

    static func mtu(_ value: Int?) throws {
        if let value, !mtus.contains(value) {
            throw APIError.invalid("mtu", "\(value) is out of range (\(mtus.lowerBound)-\(mtus.upperBound) bytes)")
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

    /// Refuses deleting a tunnel that a route still sends traffic through (the tunnel is already removed in the
    /// transaction, so the remaining tunnels are the ones to check against).
    static func checkDelete(_ tunnel: some TunnelObject, scope: AccountScope) throws {
        let noun = type(of: tunnel).family.noun
        try RouteValidation.checkNexthops(
            scope: scope, interfaces: try interfaces(scope: scope, excluding: nil), change: "deleting \(noun) '\(tunnel.id ?? "")'"
        )
    }
}
