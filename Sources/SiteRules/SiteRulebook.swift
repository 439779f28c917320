import ConnectorAPI

/// Every rule a site's config must pass, written once: for a whole `{site, wans, lans, acls, ipsec_tunnels,
/// routes}` document (`site validate`, the agent) and for one object at a time (mock-api's create and update).
///
/// Each call returns every problem, each with its path and a stable code; empty when there is none. The rules are
/// listed in docs/site-network.md, "Validation". What needs more than the config (other sites and tunnels of an
/// account, this host's capabilities) is checked by the caller.
public enum SiteRulebook {
    /// All problems of `config`: each object's own in document order (site, wans, lans, acls, tunnels, routes),
    /// then the conflicts between objects (overlapping subnets).
    public static func problems(in config: SiteConfig) -> [SiteProblem] {
        var check = SiteCheck(haSite: config.site.haMode == true)
        check.checkSite(config.site, base: "site")
        for (index, wan) in config.wans.enumerated() {
            check.checkWAN(wan, base: "wans[\(index)]", owner: SiteCheck.label("wans", index, wan.name))
        }
        for (index, lan) in config.lans.enumerated() {
            check.checkLAN(lan, base: "lans[\(index)]", owner: SiteCheck.label("lans", index, lan.name))
        }
        for (index, acl) in config.acls.enumerated() {
            check.checkACL(acl, base: "acls[\(index)]", owner: SiteCheck.label("acls", index, acl.name))
        }
        for (index, tunnel) in config.ipsecTunnels.enumerated() {
            let base = "ipsec_tunnels[\(index)]"
            check.checkTunnel(tunnel, base: base, owner: SiteCheck.label("ipsec_tunnels", index, tunnel.name))
            check.checkTunnelWAN(tunnel, base: base, wans: config.wans)
        }
        for (index, route) in config.routes.enumerated() {
            check.checkRoute(route, base: "routes[\(index)]")
            check.checkRouteTunnel(route, base: "routes[\(index)]")
        }
        check.checkOverlaps()
        return check.problems
    }

    /// The site object's own problems (paths relative to it: `name`, `location.lat`).
    public static func problems(of site: Site) -> [SiteProblem] {
        var check = SiteCheck(haSite: site.haMode == true)
        check.checkSite(site, base: "")
        return check.problems
    }

    /// One WAN's problems in a site that is (`haSite`) or is not high-availability.
    public static func problems(of wan: WAN, haSite: Bool) -> [SiteProblem] {
        var check = SiteCheck(haSite: haSite)
        check.checkWAN(wan, base: "", owner: "this WAN")
        return check.problems
    }

    /// One LAN's problems, its subnets against each other included.
    public static func problems(of lan: LAN, haSite: Bool) -> [SiteProblem] {
        var check = SiteCheck(haSite: haSite)
        check.checkLAN(lan, base: "", owner: "this LAN")
        check.checkOverlaps()
        return check.problems
    }

    /// One ACL's problems against the site's `lans` (which are not checked themselves).
    public static func problems(of acl: ACL, lans: [LAN]) -> [SiteProblem] {
        var check = SiteCheck(haSite: false)
        for (index, lan) in lans.enumerated() { check.lans.append(LANFacts(lan, index: index)) }
        check.checkACL(acl, base: "", owner: "this ACL")
        return check.problems
    }

    /// One IPsec tunnel's own problems, BGP and its IPv6 interface included (its customer endpoint is not checked
    /// against WANs).
    public static func problems(of tunnel: IPsecTunnel) -> [SiteProblem] {
        var check = SiteCheck(haSite: false)
        check.checkTunnel(tunnel, base: "", owner: "this tunnel")
        return check.problems
    }

    /// One GRE tunnel's own problems: endpoints, interface addresses, health check, MTU, TTL, BGP.
    public static func problems(of tunnel: GRETunnel) -> [SiteProblem] {
        var check = SiteCheck(haSite: false)
        check.checkGRETunnel(tunnel, base: "", owner: "this tunnel")
        return check.problems
    }

    /// One interconnect's own problems: names, GRE endpoint, interface addresses, health check, MTU.
    public static func problems(of interconnect: CFInterconnect) -> [SiteProblem] {
        var check = SiteCheck(haSite: false)
        check.checkInterconnect(interconnect, base: "", owner: "this interconnect")
        return check.problems
    }

    /// One route's own problems (whether a tunnel holds its nexthop is the caller's: a site's or an account's).
    public static func problems(of route: MagicRoute) -> [SiteProblem] {
        var check = SiteCheck(haSite: false)
        check.checkRoute(route, base: "")
        return check.problems
    }
}
