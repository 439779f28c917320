import ArgumentParser
import Foundation
import SiteNetwork
import SiteRules

/// `--json` output of the site and lab commands: one JSON document on stdout, keys sorted, `"ok"` first in meaning:
/// `{"ok": true, ...}` on success, `{"ok": false, "error": {"code", "message", "problems": [{"path", "pointer",
/// "code", "message"}]}}` (exit 1) on failure.
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(value) + Data("\n".utf8))
    }

    /// Runs `body`; with `json`, a failure is printed as the error document and the command exits 1.
    static func run(_ json: Bool, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch {
            guard json else { throw error }
            let failure = CommandFailure.site(error)
            try print(Failure(error: .init(code: failure.code, message: failure.description, problems: failure.problems.map {
                .init(path: $0.path, pointer: $0.pointer, code: $0.code.rawValue, message: $0.message)
            })))
            throw ExitCode(1)
        }
    }

    struct Failure: Encodable {
        var ok = false
        var error: Detail

        struct Detail: Encodable {
            var code: String
            var message: String
            var problems: [Problem]
        }

        /// `path` for people, `pointer` (RFC 6901) and `code` for scripts: the same as mock-api's `source.pointer`.
        struct Problem: Encodable {
            var path: String
            var pointer: String
            var code: String
            var message: String
        }
    }
}
