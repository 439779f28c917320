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

    @Test("the agent binary links swift-prometheus for --metrics-listen but no NIO or Hummingbird")
    func noServerLibraries() async throws {
        let (status, symbols) = try await Self.symbols(CLI.agentBinary.path)
        try #require(status == 0, "nm failed")
        #expect(symbols.contains("10Prometheus"), "--metrics-listen's library is linked")
        #expect(!symbols.contains("7NIOCore") && !symbols.contains("11Hummingbird"), "a server library is linked into the agent")
    }

    static func symbols(_ binary: String) async throws -> (Int32, String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                    process.arguments = ["nm", binary]
                    let pipe = Pipe()
                    process.standardOutput = pipe
                    process.standardError = FileHandle.nullDevice
                    try process.run()
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
                })
            }.start()
        }
    }

    @Test("--version prints the version of `vconnector`")
    func version() throws {
        let multi = try CLI.run(["--version"])
        let alone = try CLI.run(["--version"], binary: CLI.agentBinary)
        #expect(alone.status == 0 && alone.stdout == multi.stdout && !alone.stdout.isEmpty)
    }

    /// A mock-api process with one connector and a `vconnector-agent` process for it (no site apply, no attestation).
    struct Running {
        let mock: Process
        let agent: Process
        let api: String
        let token: String
        let connector: String
        let state: String

        func events() async throws -> [String] {
            try await CLI.items("\(api)/connectors/\(connector)/telemetry/events?from=0&to=9999999999&limit=1000", token: token)
                .compactMap { $0["k"] as? String }
        }

        /// Polls for up to 15 s until the events are `kinds`.
        func waitForEvents(_ kinds: [String]) async throws {
            for _ in 0..<150 {
                if try await events() == kinds { return }
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        func stop() {
            if agent.isRunning { kill(agent.processIdentifier, SIGKILL) }
            mock.terminate()
            mock.waitUntilExit()
            try? FileManager.default.removeItem(atPath: state)
        }
    }

    func startAgent() async throws -> Running {
        let port = try CLI.freePort()
        let token = "alone-test-\(UUID().uuidString.prefix(8))"
        let mock = try CLI.start(["mock-api", "--listen", "127.0.0.1:\(port)", "--db", ":memory:",
                                             "--account-id", "acc-alone", "--api-token", token, "--log-level", "warning"])
        let base = "http://127.0.0.1:\(port)/client/v4"
        let api = "\(base)/accounts/acc-alone/magic"
        try await CLI.waitForPort(port)
        let created = try await CLI.call("POST", "\(api)/connectors", token: token, body: ["device": ["id": "alone-\(UUID().uuidString.prefix(6))"]])
        let connector = try #require(created["id"] as? String)
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("vct-alone-\(UUID().uuidString)").path
        let agent = try CLI.start(
            ["--api-base", base, "--account-id", "acc-alone", "--connector-id", connector, "--state-dir", state,
             "--snapshot-interval", "0.2", "--checkin-interval", "0.5", "--no-attestation", "--no-site-apply", "--log-level", "critical"],
            token: token, binary: CLI.agentBinary
        )
        return Running(mock: mock, agent: agent, api: api, token: token, connector: connector, state: state)
    }

    @Test("runs against mock-api: Init, snapshots, then Leave on SIGTERM and exit 0")
    func runsAndLeaves() async throws {
        let running = try await startAgent()
        defer { running.stop() }
        let snapshotsURL = "\(running.api)/connectors/\(running.connector)/telemetry/snapshots?from=0&to=9999999999&limit=1000"
        for _ in 0..<100 {
            if try await CLI.items(snapshotsURL, token: running.token).count >= 3 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        kill(running.agent.processIdentifier, SIGTERM)
        running.agent.waitUntilExit()
        #expect(running.agent.terminationStatus == 0)
        #expect(try await running.events() == ["Init", "Leave"])
        #expect(try await CLI.items(snapshotsURL, token: running.token).count >= 3)
    }

    @Test("a restart interrupt re-execs the process (same pid, Leave then Init); a shutdown interrupt ends it with exit 0")
    func interruptsRestartAndShutdown() async throws {
        let running = try await startAgent()
        defer { running.stop() }
        let interrupts = "\(running.api)/connectors/\(running.connector)/interrupts"
        try await running.waitForEvents(["Init"])
        _ = try await CLI.call("POST", interrupts, token: running.token, body: ["restart": [String: Any]()])
        try await running.waitForEvents(["Init", "Leave", "Init"])
        #expect(try await running.events() == ["Init", "Leave", "Init"])
        #expect(running.agent.isRunning, "the same process (pid) runs on after the exec")
        _ = try await CLI.call("POST", interrupts, token: running.token, body: ["shutdown": [String: Any]()])
        running.agent.waitUntilExit()
        #expect(running.agent.terminationStatus == 0)
        #expect(try await running.events() == ["Init", "Leave", "Init", "Leave"])
    }
}
