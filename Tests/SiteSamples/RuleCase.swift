import ConnectorAPI
import SiteRules
import Testing

/// One rule exercised: a change to a clean sample, and every problem it must cause (path, a phrase of the message).
public struct RuleCase: Sendable, CustomTestStringConvertible {
    let rule: String
    let sample: @Sendable () -> SiteConfig
    let change: @Sendable (inout SiteConfig) -> Void
    let expected: [Expected]

    public struct Expected: Sendable {
        let path: String
        let phrase: String
    }

    /// `expected`: `(path, phrase)` pairs in the order the validator reports them; empty for a change that is fine.
    public init(
        _ rule: String, sample: @escaping @Sendable () -> SiteConfig = SiteSamples.branch,
        _ change: @escaping @Sendable (inout SiteConfig) -> Void, _ expected: [(String, String)]
    ) {
        self.rule = rule
        self.sample = sample
        self.change = change
        self.expected = expected.map { Expected(path: $0.0, phrase: $0.1) }
    }

    public var testDescription: String { rule }

    /// Applies the change, validates (by the site rules, or SiteNetwork's validator that adds this connector's
    /// limits), and checks the problems are exactly the expected ones.
    public func run(
        _ validate: (SiteConfig) -> [SiteProblem] = SiteRulebook.problems(in:),
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var config = sample()
        change(&config)
        let problems = validate(config)
        #expect(
            problems.map(\.path) == expected.map(\.path),
            "\(rule): got \(problems.map(\.description))", sourceLocation: sourceLocation
        )
        for (problem, want) in zip(problems, expected) {
            #expect(
                problem.message.contains(want.phrase),
                "\(rule): '\(problem.message)' should say '\(want.phrase)'", sourceLocation: sourceLocation
            )
        }
    }
}
