// A site's whole configuration as the API describes it: the input of `vconnector site` and `lab`, and what
// the agent fetches at check-in. The JSON shape is `{site, wans, lans, acls}` with the objects mock-api serves.

/// A site and its WANs, LANs and ACLs.
public struct SiteConfig: Codable, Sendable, Equatable {
    public var site: Site
    public var wans: [WAN]
    public var lans: [LAN]
    public var acls: [ACL]

    public init(site: Site, lans: [LAN], wans: [WAN], acls: [ACL]) {
        self.site = site
        self.lans = lans
        self.wans = wans
        self.acls = acls
    }

    enum CodingKeys: String, CodingKey {
        case site, wans, lans, acls
    }

    /// `wans`, `lans` and `acls` may be left out (a site with none of them).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        site = try container.decode(Site.self, forKey: .site)
        wans = try container.decodeIfPresent([WAN].self, forKey: .wans) ?? []
        lans = try container.decodeIfPresent([LAN].self, forKey: .lans) ?? []
        acls = try container.decodeIfPresent([ACL].self, forKey: .acls) ?? []
    }
}
