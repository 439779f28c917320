import ConnectorAPI

/// One validation pass over a site config: the problems found so far and what earlier objects claimed
/// (names, ports, subnets) so later ones can be checked against them.
struct SiteCheck {
    let haSite: Bool
    var problems: [SiteProblem] = []

    /// `(physport, vlan_tag)` -> the object that uses it first, e.g. `wans[0] ('isp-a')`.
    var portUsers: [PortKey: String] = [:]
    var wanNames: [String: String] = [:]
    var lanNames: [String: String] = [:]
    var aclNames: [String: String] = [:]
    var tunnelNames: [String: String] = [:]
    /// The site's tunnels as the route checks see them.
    var tunnels: [TunnelFacts] = []
    var lanIDs: [String: String] = [:]
    var haLinkOwner: String?
    /// Subnets the site's interfaces and routes occupy, in document order, for the overlap checks.
    var claims: [SubnetClaim] = []
    /// What the ACL checks need to know about each LAN.
    var lans: [LANFacts] = []

    init(haSite: Bool) { self.haSite = haSite }

    /// Records a problem. The message quotes the config's own strings, so it is made printable here, once, for
    /// every rule: a name holding escape sequences or newlines cannot rewrite the operator's terminal or log.
    /// Paths are built as `base.field`; an object checked on its own has an empty base, so a leading '.' goes.
    mutating func add(_ path: String, _ code: SiteProblem.Code, _ message: String) {
        let path = path.hasPrefix(".") ? String(path.dropFirst()) : path
        problems.append(
            SiteProblem(TextRules.printable(path, limit: 200), code, TextRules.printable(message, limit: 400)))
    }
}

/// A physical port and VLAN (0: untagged); a WAN or LAN needs one of its own.
struct PortKey: Hashable {
    let physport: Int
    let vlan: Int
}

/// A subnet an object occupies: a WAN or LAN subnet (connected) or a LAN's routed subnet.
struct SubnetClaim {
    enum Kind { case wan, lan, routed, tunnel }
    let kind: Kind
    let cidr: IPv4CIDR
    /// JSON path of the field that holds it, where a conflict is reported.
    let path: String
    /// The object, e.g. `lans[1] ('lab')`.
    let owner: String
}

/// A LAN as the ACL checks see it.
struct LANFacts {
    let index: Int
    let label: String
    let id: String?
    let name: String?
    let subnet: IPv4CIDR?
    let routedPrefixes: [IPv4CIDR]
}

extension LANFacts {
    /// A LAN the rules take as given (an ACL's LANs already stored): its subnet and routed prefixes.
    init(_ lan: LAN, index: Int) {
        self.init(
            index: index, label: "LAN '\(lan.id ?? lan.name ?? "")'", id: lan.id, name: lan.name,
            subnet: lan.staticAddressing?.address?.value,
            routedPrefixes: (lan.routedSubnets ?? []).compactMap { $0.prefix?.value }.map {
                IPv4CIDR(address: $0.network, prefixLength: $0.prefixLength)
            }
        )
    }
}
