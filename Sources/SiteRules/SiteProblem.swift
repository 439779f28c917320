import ConnectorAPI

/// One reason a site config (or one of its objects) breaks a rule: where, which rule, and what is wrong.
public struct SiteProblem: Sendable, Equatable, CustomStringConvertible {
    /// Path of the offending field, e.g. `lans[0].static_addressing.dhcp_server.dhcp_pool_start`; relative to the
    /// object when one object is checked on its own (`static_addressing.address`), empty for the object itself.
    public var path: String
    /// Which rule was broken; stable for scripts and tests (the message may be reworded).
    public var code: Code
    /// What is wrong and what is expected instead, for people.
    public var message: String

    public init(_ path: String, _ code: Code, _ message: String) {
        self.path = path
        self.code = code
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// `path` as an RFC 6901 JSON pointer: `lans[0].static_addressing.address` -> `/lans/0/static_addressing/address`.
    public var pointer: String { JSONPointer.from(path: path) }

    /// The same problem at `path` inside `base` (`lans[2]` + `name` -> `lans[2].name`).
    public func nested(in base: String) -> SiteProblem {
        SiteProblem(base.isEmpty ? path : path.isEmpty ? base : "\(base).\(path)", code, message)
    }
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
