import ConnectorAPI
import SiteRules

/// A LAN's own rules (addressing, DHCP, NAT, routed subnets, what an HA site requires): the shared site rules.
enum LANValidation {
    /// Validates `lan` as it would be stored in a site (`haSite`: the site runs in HA mode).
    static func validate(_ lan: LAN, haSite: Bool) throws {
        try APIError.check(SiteRulebook.problems(of: lan, haSite: haSite))
    }
}
