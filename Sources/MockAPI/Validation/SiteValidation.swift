import ConnectorAPI
import SiteRules

/// A site's own rules (name, description, connector ids, location, HA consistency): the shared site rules.
enum SiteValidation {
    static func validate(_ site: Site) throws {
        try APIError.check(SiteRulebook.problems(of: site))
    }
}
