import ConnectorAPI
import SiteRules

/// A WAN uplink's own rules: the shared site rules. Another WAN on the same port is the route's (it needs the store).
enum WANValidation {
    static func validate(_ wan: WAN, haSite: Bool) throws {
        try APIError.check(SiteRulebook.problems(of: wan, haSite: haSite))
    }
}
