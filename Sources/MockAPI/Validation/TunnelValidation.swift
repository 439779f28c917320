import ConnectorAPI
import SiteRules

/// A tunnel of any family (GRE, IPsec, interconnect): what the account-wide rules look at.
protocol TunnelObject: MagicObject {
    var name: String? { get }
    var description: String? { get }
    var interfaceAddress: CIDRField? { get }
    var interfaceAddress6: PrefixField? { get }
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
        v4 = tunnel.interfaceAddress?.value
        v6 = tunnel.interfaceAddress6?.value
    }
}

/// Tunnels in the account: their own fields by the shared site rules (`SiteRulebook`: endpoints, interface
/// addresses, health check, MTU, TTL, BGP), the defaults filled here, and the account-wide rules (unique names, no
/// overlapping addresses, routes keep their tunnel), which need the store.
enum TunnelValidation {
    /// Every problem the site rules find (`problems`) at once; then the documented defaults: health check enabled,
    /// rate mid, type reply and, for tunnels that have one, direction bidirectional; the target kept as saved
    /// (`effective` is output only); automatic return routing off.
    static func prepare<T: TunnelObject>(_ tunnel: inout T, problems: [SiteProblem], hasDirection: Bool) throws {
        try APIError.check(problems)
        var check = tunnel.healthCheck ?? TunnelHealthCheck()
        check.target = HealthCheckTarget(saved: check.target?.saved ?? "")
        check.enabled = check.enabled ?? true
        check.rate = check.rate ?? "mid"
        check.type = check.type ?? "reply"
        if hasDirection { check.direction = check.direction ?? "bidirectional" }
        tunnel.healthCheck = check
        tunnel.automaticReturnRouting = tunnel.automaticReturnRouting ?? false
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
                if let subnet = lan.staticAddressing?.address?.value, subnet.overlaps(v4) {
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
