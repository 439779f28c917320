import ConnectorAPI

/// One reason a site config cannot be applied: the JSON path of the offending field and what is wrong.
public struct SiteProblem: Sendable, Equatable, CustomStringConvertible {
    /// JSON path into the `{site, wans, lans, acls}` document, e.g. `lans[0].static_addressing.dhcp_server.dhcp_pool_start`.
    public var path: String
    public var message: String

    public init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A config that failed validation, with every problem found (not just the first).
public struct SiteValidationError: Error, CustomStringConvertible, Sendable {
    public var problems: [SiteProblem]

    public init(problems: [SiteProblem]) { self.problems = problems }

    public var description: String {
        "the site config is invalid (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n"
            + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
