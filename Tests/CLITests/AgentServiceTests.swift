import Foundation
import Testing

/// What an operator running the agent as a service hits first: the example config, the token file, the version,
/// numeric flags, a wrong connector id, a --netns that does not exist yet, and what happens to the site at exit.
@Suite("vconnector-agent as a service", .serialized, .timeLimit(.minutes(2)))
struct AgentServiceTests {
    static let example = CLI.fixtures.appendingPathComponent("agent.example.json").path

    /// A token file with the given mode; its directory (to remove).
    static func tokenFile(_ content: String, mode: Int) throws -> (directory: String, path: String) {
        let directory = try Shell.scratch("token")
        let path = "\(directory)/api-token"
        try content.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return (directory, path)
    }

    @Test("the example config, with every key, is accepted by --config (both binaries)")
    func exampleAccepted() throws {
        let keys = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.example))) as? [String: Any]).keys
        #expect(keys.count == 23, "every key of AgentConfigurationFile: \(keys.sorted())")
        let token = try Self.tokenFile("  example-token-\(UUID().uuidString.prefix(6))\n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: token.directory) }
        for (binary, prefix) in [(CLI.agentBinary, [String]()), (CLI.binary, ["agent"])] {
            let checked = try CLI.run(prefix + ["--config", Self.example, "--api-token-file", token.path, "--check-config"], binary: binary)
            #expect(checked.status == 0, "\(checked.stderr)")
            #expect(checked.stdout.hasPrefix("configuration OK: api_base=https://api.cloudflare.com/client/v4 account_id=0123456789abcdef0123456789abcdef"))
            #expect(checked.stdout.contains("api_token=<redacted>") && !checked.stdout.contains("example-token"))
            #expect(checked.stdout.contains("state_dir=/var/lib/vconnector") && checked.stdout.contains("teardown_on_exit=false"))
            #expect(checked.stdout.contains("snapshot_interval=60 checkin_interval=10 "), "seconds as written, not 60.0")
        }
        // Without a token source the example is refused: api_token_file names /etc/vconnector/api-token.
        if !FileManager.default.fileExists(atPath: "/etc/vconnector/api-token") {
            let missing = try CLI.run(["--config", Self.example, "--check-config"], binary: CLI.agentBinary)
            #expect(missing.status == 64 && missing.stderr.contains("API token file /etc/vconnector/api-token (api_token_file) cannot be read"))
        }
    }

    @Test("every key of the example config is documented in docs/agent.md's settings table")
    func exampleDocumented() throws {
        let keys = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.example))) as? [String: Any]).keys
        let docs = try String(contentsOf: Shell.repository.appendingPathComponent("docs/agent.md"), encoding: .utf8)
        let rows = docs.split(separator: "\n").filter { $0.hasPrefix("| ") }
        for key in keys {
            #expect(rows.contains { $0.contains("| `\(key)`") }, "\(key) has a row")
        }
    }

    @Test("--api-token-file: 0600 or 0400 only, trimmed, empty refused; the systemd credential is read too")
    func tokenFile() throws {
        let common = ["--account-id", "acc", "--connector-id", "con", "--check-config"]
        for mode in [0o600, 0o400] {
            let token = try Self.tokenFile("secret-\(mode)\n", mode: mode)
            defer { try? FileManager.default.removeItem(atPath: token.directory) }
            let result = try CLI.run(common + ["--api-token-file", token.path], binary: CLI.agentBinary)
            #expect(result.status == 0, "mode \(String(mode, radix: 8)): \(result.stderr)")
        }
        for mode in [0o644, 0o640, 0o604] {
            let token = try Self.tokenFile("secret", mode: mode)
            defer { try? FileManager.default.removeItem(atPath: token.directory) }
            let result = try CLI.run(common + ["--api-token-file", token.path], binary: CLI.agentBinary)
            #expect(result.status == 64)
            #expect(result.stderr.contains("API token file \(token.path) (--api-token-file) has mode \(String(mode, radix: 8)); it must be 0600 or 0400"))
        }
        let empty = try Self.tokenFile(" \n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: empty.directory) }
        let refused = try CLI.run(common + ["--api-token-file", empty.path], binary: CLI.agentBinary)
        #expect(refused.status == 64 && refused.stderr.contains("is empty"))

        // systemd's LoadCredential= puts it in $CREDENTIALS_DIRECTORY/api-token.
        let credential = try Self.tokenFile("from-systemd\n", mode: 0o400)
        defer { try? FileManager.default.removeItem(atPath: credential.directory) }
        let process = try Shell.run(CLI.agentBinary.path, common, environment: ["CREDENTIALS_DIRECTORY": credential.directory, "VCONNECTOR_API_TOKEN": ""])
        #expect(process.status == 0, "\(process.stderr)")
        let none = try Shell.run(CLI.agentBinary.path, common, environment: ["VCONNECTOR_API_TOKEN": ""])
        #expect(none.status == 64 && none.stderr.contains("API token is missing"))
    }

    @Test("--version: version, commit, build date and Swift version, the same in both binaries")
    func version() throws {
        let multi = try CLI.run(["--version"])
        let alone = try CLI.run(["--version"], binary: CLI.agentBinary)
        #expect(multi.status == 0 && alone.stdout == multi.stdout)
        let line = multi.stdout.trimmingCharacters(in: .newlines)
        // A debug build says "commit unknown, built unknown"; scripts/build-release stamps both.
        #expect(line.range(of: #"^\d+\.\d+\.\d+ \(commit [0-9a-z-]+, built [0-9A-Za-z:-]+, Swift 6\.\d+( or newer)?\)$"#, options: .regularExpression) != nil, "\(line)")
    }

    @Test("a negative interval says 'must be positive', in the = form and the space form, not 'Missing value'")
    func negativeInterval() throws {
        for arguments in [["--snapshot-interval=-5"], ["--snapshot-interval", "-5"], ["--checkin-interval", "-0.5"]] {
            let result = try CLI.run(["--account-id", "acc", "--connector-id", "con", "--api-token", "t"] + arguments, binary: CLI.agentBinary)
            #expect(result.status == 64)
            #expect(!result.stderr.contains("Missing value"), "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("must be a positive number of seconds (got -"), "\(arguments): \(result.stderr)")
        }
        let result = try CLI.run(["--account-id", "acc", "--connector-id", "con", "--api-token", "t", "--snapshot-interval", "-5"], binary: CLI.agentBinary)
        #expect(result.stderr.contains("snapshot interval (--snapshot-interval) must be a positive number of seconds (got -5)"))
    }

    @Test("a connector id the account does not have: said once, clearly; the agent keeps running and retrying")
    func unknownConnector() async throws {
        let port = try CLI.freePort()
        let token = "service-test-\(UUID().uuidString.prefix(8))"
        let mock = try CLI.start(["mock-api", "--listen", "127.0.0.1:\(port)", "--db", ":memory:",
                                  "--account-id", "acc-svc", "--api-token", token, "--log-level", "warning"])
        defer { mock.terminate(); mock.waitUntilExit() }
        try await CLI.waitForPort(port)
        let state = try Shell.scratch("svc-404")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let agent = try LoggedProcess(
            ["--api-base", "http://127.0.0.1:\(port)/client/v4", "--account-id", "acc-svc", "--connector-id", "no-such-connector",
             "--state-dir", state, "--checkin-interval", "0.1", "--max-backoff", "0.2", "--snapshot-interval", "5",
             "--no-attestation", "--no-site-apply"],
            binary: CLI.agentBinary, environment: ["VCONNECTOR_API_TOKEN": token]
        )
        #expect(try await agent.waitFor("does not exist in account acc-svc"))
        try await Task.sleep(for: .seconds(1.5))  // ~7 more check-ins at the 0.2 s backoff
        #expect(agent.process.isRunning)
        #expect(agent.stop() == 0)
        let log = agent.log
        #expect(log.components(separatedBy: "connector no-such-connector does not exist in account acc-svc").count == 2, "said once:\n\(log)")
        #expect(log.contains("check --connector-id/connector_id and --account-id/account_id"))
        #expect(!log.contains("check-in failed"), "not the generic retry line")
    }

    @Test("--netns naming a namespace that does not exist yet: the agent starts, says so, and follows it once it appears")
    func netnsNotYetThere() async throws {
        let name = "vct-wait-\(UUID().uuidString.prefix(6).lowercased())"
        let state = try Shell.scratch("svc-netns")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let agent = try LoggedProcess(
            ["--api-base", "http://127.0.0.1:1/client/v4", "--account-id", "acc", "--connector-id", "con", "--api-token", "t",
             "--state-dir", state, "--snapshot-interval", "0.1", "--no-attestation", "--no-site-apply", "--netns", name],
            binary: CLI.agentBinary
        )
        #expect(try await agent.waitFor("network namespace \(name) (--netns) does not exist yet"))
        try await Task.sleep(for: .milliseconds(500))
        #expect(agent.process.isRunning, "it does not exit:\n\(agent.log)")
        // As root: create it, and the next snapshot moves into it.
        if geteuid() == 0, Shell.has("ip") {
            defer { _ = try? Shell.run("ip", ["netns", "del", name]) }
            #expect(try Shell.run("ip", ["netns", "add", name]).status == 0)
            #expect(try await agent.waitFor("network namespace \(name) appeared; snapshots now report it"), "\(agent.log)")
        }
        #expect(agent.stop() == 0)
    }

    @Test("--teardown-on-exit and teardown_on_exit: off by default (the site stays when the agent stops)")
    func teardownOnExitSetting() throws {
        let common = ["--account-id", "acc", "--connector-id", "con", "--api-token", "t", "--check-config"]
        let byDefault = try CLI.run(common, binary: CLI.agentBinary)
        #expect(byDefault.status == 0 && byDefault.stdout.contains("teardown_on_exit=false"))
        let flag = try CLI.run(common + ["--teardown-on-exit"], binary: CLI.agentBinary)
        #expect(flag.status == 0 && flag.stdout.contains("teardown_on_exit=true"))
        let directory = try Shell.scratch("svc-teardown")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try #"{"teardown_on_exit": true}"#.write(toFile: "\(directory)/agent.json", atomically: true, encoding: .utf8)
        let file = try CLI.run(common + ["--config", "\(directory)/agent.json"], binary: CLI.agentBinary)
        #expect(file.status == 0 && file.stdout.contains("teardown_on_exit=true"))
        let help = try CLI.run(["--help"], binary: CLI.agentBinary)
        #expect(help.stdout.contains("--teardown-on-exit") && help.stdout.contains("default: keep it"))
    }

    @Test("an error found after parsing shows the subcommand's usage line, not the top-level one")
    func subcommandUsage() throws {
        let teardown = try CLI.run(["site", "teardown"])
        #expect(teardown.status == 64)
        #expect(teardown.stderr.contains("\nUsage: vconnector site teardown "), "\(teardown.stderr)")
        #expect(teardown.stderr.contains("See 'vconnector site teardown --help'"))
        let agent = try CLI.run(["agent", "--account-id", "a", "--connector-id", "c", "--api-token", "t", "--no-site-apply",
                                 "--state-dir", "/proc/vct-cannot-create"])
        #expect(agent.status == 64 && agent.stderr.contains("cannot start the agent"))
        #expect(agent.stderr.contains("\nUsage: vconnector agent <options>"), "\(agent.stderr)")
        #expect(!teardown.stderr.contains("vconnector <subcommand>") && !agent.stderr.contains("vconnector <subcommand>"))
    }

    @Test("mock-api on a database it cannot open names the file")
    func databasePathInError() throws {
        let path = "/nonexistent-\(UUID().uuidString.prefix(6))/mock.sqlite"
        let result = try CLI.run(["mock-api", "--listen", "127.0.0.1:\(try CLI.freePort())", "--db", path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot open the database \(path)"), "\(result.stderr)")
    }
}
