import ConnectorAPI
import SiteRules

/// An ACL's rules: the shared site rules against the site's stored LANs, plus what the API's body needs (each
/// side names its LAN by `lan_id`; the mock fills in `lan_name`).
enum ACLValidation {
    /// Validates `acl` against the site's `lans`. Returns the ACL with `lan_name`s filled in.
    static func validate(_ acl: ACL, lans: [LAN]) throws -> ACL {
        // `lan_name` is the API's output: a client's is ignored, never checked or stored.
        var acl = acl
        acl.lan1?.lanName = nil
        acl.lan2?.lanName = nil
        var problems = SiteRulebook.problems(of: acl, lans: lans)
        for (field, side) in [("lan_1", acl.lan1), ("lan_2", acl.lan2)] where side != nil && side?.lanId == nil {
            problems.append(SiteProblem("\(field).lan_id", .required, "required: the id of a LAN of this site"))
        }
        try APIError.check(problems)
        acl.lan1 = acl.lan1.map { named($0, lans) }
        acl.lan2 = acl.lan2.map { named($0, lans) }
        return acl
    }

    private static func named(_ side: ACLConfiguration, _ lans: [LAN]) -> ACLConfiguration {
        var side = side
        side.lanName = lans.first { $0.id == side.lanId }?.name
        return side
    }
}
