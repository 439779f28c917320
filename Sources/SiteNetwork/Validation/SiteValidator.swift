import ConnectorAPI
import SiteRules

/// Every rule a site config must pass before anything is touched on this host; reports all problems at once:
/// the site rules (SiteRules, shared with mock-api) and what this connector itself can run (`ConnectorLimits`).
public enum SiteValidator {
    /// All problems of `config`; empty when it can be applied.
    public static func validate(_ config: SiteConfig) -> [SiteProblem] {
        SiteRulebook.problems(in: config) + ConnectorLimits.problems(in: config)
    }

    /// Throws `SiteValidationError` with every problem when `config` cannot be applied.
    public static func check(_ config: SiteConfig) throws(SiteValidationError) {
        let problems = validate(config)
        if !problems.isEmpty { throw SiteValidationError(problems: problems) }
    }
}
