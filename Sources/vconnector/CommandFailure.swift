import SiteNetwork
import SiteRules

/// A failure to report as "Error: <message>" with exit status 1 (not a usage error: no usage text); with `--json`,
/// as `{"ok": false, "error": {"code", "message", "problems"}}` on stdout.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    /// A stable code for scripts: `invalid_config`, `unknown_key`, `malformed_json`, `key_collision`, `locked`, ...
    var code: String
    /// Every validation problem, each with its JSON path (for `invalid_config`).
    var problems: [SiteProblem]

    init(_ description: String, code: String = "failed", problems: [SiteProblem] = []) {
        self.description = description
        self.code = code
        self.problems = problems
    }

    /// The failure of a site command, with the code its error type says.
    static func site(_ error: any Error, prefix: String = "") -> CommandFailure {
        switch error {
        case let failure as CommandFailure: failure
        case let invalid as SiteValidationError: CommandFailure(invalid.description, code: "invalid_config", problems: invalid.problems)
        case let file as SiteConfigFileError: CommandFailure("\(file)", code: file.code)
        case let collision as SiteKeyCollision: CommandFailure(prefix + "\(collision)", code: "key_collision")
        case let key as SiteKeyError: CommandFailure("\(key)", code: "not_a_site_key")
        case let lock as SiteLockError: CommandFailure(prefix + "\(lock)", code: "locked")
        case let verify as VerifyError: CommandFailure(prefix + "\(verify)", code: "not_applied")
        default: CommandFailure(prefix + "\(error)")
        }
    }
}
