import ConnectorAPI

/// Every rule a site config must pass before anything is touched; reports all problems at once.
///
/// The rules are listed in docs/site-network.md, "Validation". Each problem names the JSON path of the
/// offending field in the `{site, wans, lans, acls}` document and says what is expected instead.
public enum SiteValidator {
    /// All problems of `config`: each object's own problems in document order (site, wans, lans, acls),
    /// then the conflicts between objects (overlapping subnets); empty when it can be applied.
    public static func validate(_ config: SiteConfig) -> [SiteProblem] {
        var check = SiteCheck(haSite: config.site.haMode == true)
        check.checkSite(config.site)
        for (index, wan) in config.wans.enumerated() { check.checkWAN(wan, index: index) }
        for (index, lan) in config.lans.enumerated() { check.checkLAN(lan, index: index) }
        for (index, acl) in config.acls.enumerated() { check.checkACL(acl, index: index) }
        for (index, tunnel) in config.ipsecTunnels.enumerated() { check.checkTunnel(tunnel, index: index, wans: config.wans) }
        for (index, route) in config.routes.enumerated() { check.checkRoute(route, index: index) }
        check.checkOverlaps()
        return check.problems
    }

    /// Throws `SiteValidationError` with every problem when `config` cannot be applied.
    public static func check(_ config: SiteConfig) throws(SiteValidationError) {
        let problems = validate(config)
        if !problems.isEmpty { throw SiteValidationError(problems: problems) }
    }
}

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
    mutating func add(_ path: String, _ message: String) {
        problems.append(SiteProblem(TextRules.printable(path, limit: 200), TextRules.printable(message, limit: 400)))
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
    let id: String?
    let name: String?
    let subnet: IPv4CIDR?
    let routedPrefixes: [IPv4CIDR]

    var label: String { SiteCheck.label("lans", index, name) }
}
