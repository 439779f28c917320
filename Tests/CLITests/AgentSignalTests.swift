import Foundation
import Testing

/// SIGTERM twice within a second (as `timeout` and process groups send it) still records Leave and flushes; a
/// second signal more than a second after the first exits at once.
@Suite("vconnector agent, stop signals", .serialized, .timeLimit(.minutes(2)))
struct AgentSignalTests {
    @Test("SIGTERM twice 50 ms apart: the whole backlog and Leave reach mock-api, exit status 0")
    func doubleSigtermStillFlushes() async throws {
        let port = try CLI.freePort()
        let token = "signal-test-\(UUID().uuidString.prefix(8))"
        let base = "http://127.0.0.1:\(port)/client/v4"
        let api = "\(base)/accounts/acc-signal/magic"
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("vct-signal-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }

        // The connector must exist before the agent runs, so the mock runs once to create it (in a database file).
        let database = state + "-mock.sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
        let mockArguments = ["mock-api", "--listen", "127.0.0.1:\(port)", "--db", database, "--account-id", "acc-signal",
                             "--api-token", token, "--log-level", "warning"]
        var mock = try CLI.start(mockArguments)
        try await CLI.waitForPort(port)
        let created = try await CLI.call("POST", "\(api)/connectors", token: token, body: ["device": ["id": "sig-\(UUID().uuidString.prefix(6))"]])
        let connector = try #require(created["id"] as? String)
        mock.terminate()
        mock.waitUntilExit()

        // A backlog builds up while the API is down; one record per POST makes the flush take a while.
        let agent = try CLI.start([
            "agent", "--api-base", base, "--account-id", "acc-signal", "--connector-id", connector, "--state-dir", state,
            "--snapshot-interval", "0.01", "--checkin-interval", "0.5", "--batch-size", "1", "--max-backoff", "30",
            "--shutdown-timeout", "30", "--no-attestation", "--no-site-apply", "--log-level", "critical",
        ], token: token)
        defer { if agent.isRunning { kill(agent.processIdentifier, SIGKILL); agent.waitUntilExit() } }
        try await Task.sleep(for: .seconds(2))
        mock = try CLI.start(mockArguments)
        defer { mock.terminate(); mock.waitUntilExit() }
        try await CLI.waitForPort(port)

        let stopping = ContinuousClock.now
        kill(agent.processIdentifier, SIGTERM)
        try await Task.sleep(for: .milliseconds(50))
        kill(agent.processIdentifier, SIGTERM)
        try await waitForExit(agent, within: .seconds(40))
        let stopTook = ContinuousClock.now - stopping
        #expect(agent.terminationReason == .exit && agent.terminationStatus == 0, "a clean exit, not the 130 of 'exit now'")
        #expect(stopTook > .milliseconds(100), "the flush outlasted the second signal (took \(stopTook)), so this test can tell")

        let events = try await CLI.items("\(api)/connectors/\(connector)/telemetry/events?from=0&to=9999999999&limit=1000", token: token)
        #expect(events.compactMap { $0["k"] as? String } == ["Init", "Leave"])
        let snapshots = try await CLI.items("\(api)/connectors/\(connector)/telemetry/snapshots?from=0&to=9999999999&limit=1000", token: token)
        #expect(snapshots.count >= 20, "the backlog was delivered (got \(snapshots.count))")
    }

    @Test("a second SIGTERM more than 1 s after the first exits at once (status 130) while the flush still hangs")
    func lateSecondSignalExitsNow() async throws {
        // A port that accepts connections (the kernel's backlog) and never answers: the graceful flush hangs.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        #expect(bound == 0 && listen(listener, 64) == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))

        let state = FileManager.default.temporaryDirectory.appendingPathComponent("vct-signal-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let agent = try CLI.start([
            "agent", "--api-base", "http://127.0.0.1:\(port)/client/v4", "--account-id", "acc", "--connector-id", "c1",
            "--state-dir", state, "--snapshot-interval", "0.2", "--shutdown-timeout", "60", "--no-attestation",
            "--no-site-apply", "--log-level", "critical",
        ], token: "t")
        defer { if agent.isRunning { kill(agent.processIdentifier, SIGKILL); agent.waitUntilExit() } }
        try await Task.sleep(for: .seconds(1))

        kill(agent.processIdentifier, SIGTERM)
        try await Task.sleep(for: .milliseconds(1300))
        #expect(agent.isRunning, "the graceful stop is still flushing (into a server that never answers)")
        let second = ContinuousClock.now
        kill(agent.processIdentifier, SIGTERM)
        try await waitForExit(agent, within: .seconds(5))
        #expect(ContinuousClock.now - second < .seconds(1), "exited at once")
        #expect(agent.terminationReason == .exit && agent.terminationStatus == 130)
    }

    private func waitForExit(_ process: Process, within limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        guard !process.isRunning else { throw CLIError(description: "the agent did not exit within \(limit)") }
        process.waitUntilExit()
    }
}
