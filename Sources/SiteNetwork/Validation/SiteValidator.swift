import ConnectorAPI

/// Every rule a site config must pass before anything is touched; reports all problems at once.
public enum SiteValidator {
    /// All problems of `config`, in document order; empty when it can be applied.
    public static func validate(_ config: SiteConfig) -> [SiteProblem] {
        []  // placeholder until the full rule set lands
    }
}
