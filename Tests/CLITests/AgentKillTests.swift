import Foundation
import Testing

/// The agent binary killed with SIGKILL mid-run and restarted: the spool survives, every record recorded
/// before the kill is delivered once, and no (t, n) is reused.
@Suite("vconnector agent, killed and restarted", .serialized, .timeLimit(.minutes(2)))
struct AgentKillTests {
    @Test("SIGKILL while the API is unreachable, restart against mock-api: the backlog arrives once, in order")
    func killedAgentLosesNothing() async throws {
        let port = try CLI.freePort()
        let token = "kill-test-\(UUID().uuidString.prefix(8))"
        let mock = try CLI.start(["mock-api", "--listen", "127.0.0.1:\(port)", "--db", ":memory:",
                                   "--account-id", "acc-kill", "--api-token", token, "--log-level", "warning"])
        defer { mock.terminate(); mock.waitUntilExit() }
        let base = "http://127.0.0.1:\(port)/client/v4"
        let api = "\(base)/accounts/acc-kill/magic"
        try await CLI.waitForPort(port)
        let created = try await CLI.call("POST", "\(api)/connectors", token: token, body: ["device": ["id": "kill-\(UUID().uuidString.prefix(6))"]])
        let connector = try #require(created["id"] as? String)
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("vct-kill-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let common = ["agent", "--account-id", "acc-kill", "--connector-id", connector, "--state-dir", state,
                      "--snapshot-interval", "0.1", "--checkin-interval", "0.5", "--no-attestation", "--no-site-apply",
                      "--log-level", "critical"]

        // First run: nothing listens on port 1, so everything stays in the spool; then SIGKILL.
        let first = try CLI.start(common + ["--api-base", "http://127.0.0.1:1/client/v4"], token: token)
        try await Task.sleep(for: .seconds(2))
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal)
        let spool = try FileManager.default.attributesOfItem(atPath: "\(state)/spool.sqlite")
        #expect((spool[.posixPermissions] as? Int) == 0o600)

        // Second run against the mock: the backlog and the new records arrive; SIGTERM ends it with Leave.
        let second = try CLI.start(common + ["--api-base", base], token: token)
        var events: [[String: Any]] = []
        for _ in 0..<100 {
            try await Task.sleep(for: .milliseconds(100))
            events = try await CLI.items("\(api)/connectors/\(connector)/telemetry/events?from=0&to=9999999999&limit=1000", token: token)
            if events.count >= 2 { break }
        }
        try await Task.sleep(for: .milliseconds(500))
        kill(second.processIdentifier, SIGTERM)
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)

        events = try await CLI.items("\(api)/connectors/\(connector)/telemetry/events?from=0&to=9999999999&limit=1000", token: token)
        #expect(events.compactMap { $0["k"] as? String } == ["Init", "Init", "Leave"], "the killed run's Init, the restart's Init, Leave")
        let stamps = events.map { ($0["t"] as? Double ?? 0, $0["n"] as? Int ?? 0) }
        #expect(zip(stamps, stamps.dropFirst()).allSatisfy { $0 < $1 }, "no (t, n) reused, in order")
        let snapshots = try await CLI.items("\(api)/connectors/\(connector)/telemetry/snapshots?from=0&to=9999999999&limit=1000", token: token)
        let times = snapshots.compactMap { $0["t"] as? Double }
        #expect(times.count >= 15, "the ~20 snapshots of the killed run arrived (got \(times.count))")
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        let killedRun = times.filter { $0 < stamps[1].0 }
        #expect(killedRun.count >= 10, "the killed run's snapshots were delivered by the restart")
    }
}
