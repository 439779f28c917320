import Foundation
import Testing

/// `vconnector-agent`, the agent-only binary, is `vconnector agent`: same flags, same help, same behavior.
@Suite("vconnector-agent, the agent alone", .serialized, .timeLimit(.minutes(1)))
struct AgentBinaryTests {
    @Test("--help is `vconnector agent --help` word for word, with its own name in the usage and examples")
    func sameHelp() throws {
        let multi = try CLI.run(["agent", "--help"])
        let alone = try CLI.run(["--help"], binary: CLI.agentBinary)
        #expect(multi.status == 0 && alone.status == 0)
        #expect(alone.stdout == multi.stdout.replacingOccurrences(of: "vconnector agent", with: "vconnector-agent"))
        #expect(alone.stdout.contains("USAGE: vconnector-agent <options>"))
    }

    @Test("bad settings: the same problems, exit 64, before anything starts")
    func sameValidation() throws {
        let arguments = ["--api-base", "ftp://nowhere", "--snapshot-interval", "0", "--state-dir", "/nonexistent/x"]
        let multi = try CLI.run(["agent"] + arguments)
        let alone = try CLI.run(arguments, binary: CLI.agentBinary)
        #expect(multi.status == 64 && alone.status == 64)
        #expect(alone.stderr.hasPrefix("Error: invalid agent configuration:"))
        #expect(alone.stderr == multi.stderr.replacingOccurrences(of: "vconnector agent", with: "vconnector-agent"))
    }

    @Test("--version prints the version of `vconnector`")
    func version() throws {
        let multi = try CLI.run(["--version"])
        let alone = try CLI.run(["--version"], binary: CLI.agentBinary)
        #expect(alone.status == 0 && alone.stdout == multi.stdout && !alone.stdout.isEmpty)
    }

    @Test("runs against mock-api: Init, snapshots, then Leave on SIGTERM and exit 0")
    func runsAndLeaves() async throws {
        let port = try CLI.freePort()
        let token = "alone-test-\(UUID().uuidString.prefix(8))"
        let mock = try CLI.start(["mock-api", "--listen", "127.0.0.1:\(port)", "--db", ":memory:",
                                             "--account-id", "acc-alone", "--api-token", token, "--log-level", "warning"])
        defer { mock.terminate(); mock.waitUntilExit() }
        let base = "http://127.0.0.1:\(port)/client/v4"
        let api = "\(base)/accounts/acc-alone/magic"
        try await CLI.waitForPort(port)
        let created = try await CLI.call("POST", "\(api)/connectors", token: token, body: ["device": ["id": "alone-\(UUID().uuidString.prefix(6))"]])
        let connector = try #require(created["id"] as? String)
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("vct-alone-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let agent = try CLI.start(
            ["--api-base", base, "--account-id", "acc-alone", "--connector-id", connector, "--state-dir", state,
             "--snapshot-interval", "0.2", "--checkin-interval", "0.5", "--no-attestation", "--no-site-apply", "--log-level", "critical"],
            token: token, binary: CLI.agentBinary
        )
        let snapshotsURL = "\(api)/connectors/\(connector)/telemetry/snapshots?from=0&to=9999999999&limit=1000"
        for _ in 0..<100 {
            if try await CLI.items(snapshotsURL, token: token).count >= 3 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        kill(agent.processIdentifier, SIGTERM)
        agent.waitUntilExit()
        #expect(agent.terminationStatus == 0)
        let events = try await CLI.items("\(api)/connectors/\(connector)/telemetry/events?from=0&to=9999999999&limit=1000", token: token)
        #expect(events.compactMap { $0["k"] as? String } == ["Init", "Leave"])
        #expect(try await CLI.items(snapshotsURL, token: token).count >= 3)
    }
}
