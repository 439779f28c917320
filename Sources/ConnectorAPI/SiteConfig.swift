// A site's whole configuration as the API describes it: the input of `vconnector site` and `lab`, and what
// the agent fetches at check-in. The JSON shape is `{site, wans, lans, acls, ipsec_tunnels, routes}` with the
// objects mock-api serves; the tunnels are the site's (see `IPsecTunnel.customerEndpoint`), the routes the edge's.

/// A site and its WANs, LANs and ACLs.
public struct SiteConfig: Codable, Sendable, Equatable {
    public var site: Site
    public var wans: [WAN]
    public var lans: [LAN]
    public var acls: [ACL]
    /// The IPsec tunnels from this site's WANs to Cloudflare's edge.
    public var ipsecTunnels: [IPsecTunnel]
    /// Magic static routes sending prefixes to this site's tunnels.
    public var routes: [MagicRoute]

    public init(site: Site, lans: [LAN], wans: [WAN], acls: [ACL], ipsecTunnels: [IPsecTunnel] = [], routes: [MagicRoute] = []) {
        self.site = site
        self.lans = lans
        self.wans = wans
        self.acls = acls
        self.ipsecTunnels = ipsecTunnels
        self.routes = routes
    }

    enum CodingKeys: String, CodingKey {
        case site, wans, lans, acls, routes
        case ipsecTunnels = "ipsec_tunnels"
    }

    /// Tunnels and routes are written only when there are some, so a site without them keeps its old shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(site, forKey: .site)
        try container.encode(wans, forKey: .wans)
        try container.encode(lans, forKey: .lans)
        try container.encode(acls, forKey: .acls)
        if !ipsecTunnels.isEmpty { try container.encode(ipsecTunnels, forKey: .ipsecTunnels) }
        if !routes.isEmpty { try container.encode(routes, forKey: .routes) }
    }

    /// Everything but `site` may be left out (a site with none of them).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        site = try container.decode(Site.self, forKey: .site)
        wans = try container.decodeIfPresent([WAN].self, forKey: .wans) ?? []
        lans = try container.decodeIfPresent([LAN].self, forKey: .lans) ?? []
        acls = try container.decodeIfPresent([ACL].self, forKey: .acls) ?? []
        ipsecTunnels = try container.decodeIfPresent([IPsecTunnel].self, forKey: .ipsecTunnels) ?? []
        routes = try container.decodeIfPresent([MagicRoute].self, forKey: .routes) ?? []
    }
}
