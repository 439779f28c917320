import Agent
import ArgumentParser
import Fleet
import Foundation

/// Where the API is and who the fleet is, for `fleet --out api` and `fleet check --api`. The token comes from a
/// file (0600/0400), env VCONNECTOR_API_TOKEN or the flag, and is never printed.
struct FleetAPIOptions: ParsableArguments {
    @Option(
        name: .customLong("api-base"),
        help: ArgumentHelp(
            "The v4 API base (mock-api: http://127.0.0.1:8787/client/v4). Needed by --out api and check --api.",
            valueName: "url"))
    var apiBase: String?

    @Option(name: .customLong("account-id"), help: "The account the connectors belong to. Needed by --out api and check --api.")
    var accountID: String?

    @Option(
        name: .customLong("api-token"),
        help: "API token (Magic WAN Write); prefer --api-token-file or env VCONNECTOR_API_TOKEN: a flag shows in ps.")
    var apiToken: String?

    @Option(
        name: .customLong("api-token-file"),
        help: ArgumentHelp("File holding the API token (mode 0600 or 0400).", valueName: "path"))
    var apiTokenFile: String?

    func validate() throws {
        if apiToken != nil, apiTokenFile != nil {
            throw ValidationError("give --api-token or --api-token-file, not both")
        }
    }

    /// The API client; `use` names the option that needs it in errors ("--out api").
    func client(for use: String) throws -> FleetAPI {
        guard let apiBase, let base = URL(string: apiBase), base.scheme == "http" || base.scheme == "https" else {
            throw ValidationError("\(use) needs --api-base (http:// or https://)")
        }
        guard let accountID, !accountID.isEmpty else { throw ValidationError("\(use) needs --account-id") }
        let token: String
        if let apiToken {
            token = apiToken
        } else if let apiTokenFile {
            token = try APITokenSource.read(path: apiTokenFile, setting: "--api-token-file")
        } else if let environment = ProcessInfo.processInfo.environment["VCONNECTOR_API_TOKEN"], !environment.isEmpty {
            token = environment
        } else {
            throw ValidationError("\(use) needs a token: --api-token-file, env VCONNECTOR_API_TOKEN, or --api-token")
        }
        return FleetAPI(base: base, accountID: accountID, token: token)
    }

    /// The ids of a `--connector-ids` file: one a line, blank lines skipped.
    static func connectorIDs(file path: String) throws -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("--connector-ids: cannot read \(path)")
        }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
