import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The agent binary killed with SIGKILL mid-run and restarted: the spool survives, every record recorded
/// before the kill is delivered once, and no (t, n) is reused.
@Suite("vconnector agent, killed and restarted", .serialized, .timeLimit(.minutes(2)))
struct AgentKillTests {
    @Test("SIGKILL while the API is unreachable, restart against mock-api: the backlog arrives once, in order")
    func killedAgentLosesNothing() async throws {
        let port = try Self.freePort()
        let token = "kill-test-\(UUID().uuidString.prefix(8))"
        let mock = try Self.start(["mock-api", "--listen", "127.0.0.1:\(port)", "--db", ":memory:",
                                   "--account-id", "acc-kill", "--api-token", token, "--log-level", "warning"])
        defer { mock.terminate(); mock.waitUntilExit() }
        let base = "http://127.0.0.1:\(port)/client/v4"
        let api = "\(base)/accounts/acc-kill/magic"
        try await Self.waitForPort(port)
        let created = try await Self.call("POST", "\(api)/connectors", token: token, body: ["device": ["id": "kill-\(UUID().uuidString.prefix(6))"]])
        let connector = try #require(created["id"] as? String)
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("vct-kill-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        let common = ["agent", "--account-id", "acc-kill", "--connector-id", connector, "--state-dir", state,
                      "--snapshot-interval", "0.1", "--checkin-interval", "0.5", "--no-attestation", "--no-site-apply",
                      "--log-level", "critical"]

        // First run: nothing listens on port 1, so everything stays in the spool; then SIGKILL.
        let first = try Self.start(common + ["--api-base", "http://127.0.0.1:1/client/v4"], token: token)
        try await Task.sleep(for: .seconds(2))
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal)
        let spool = try FileManager.default.attributesOfItem(atPath: "\(state)/spool.sqlite")
        #expect((spool[.posixPermissions] as? Int) == 0o600)

        // Second run against the mock: the backlog and the new records arrive; SIGTERM ends it with Leave.
        let second = try Self.start(common + ["--api-base", base], token: token)
        var events: [[String: Any]] = []
        for _ in 0..<100 {
            try await Task.sleep(for: .milliseconds(100))
            events = try await Self.items("\(api)/connectors/\(connector)/telemetry/events?from=0&to=9999999999&limit=1000", token: token)
            if events.count >= 2 { break }
        }
        try await Task.sleep(for: .milliseconds(500))
        kill(second.processIdentifier, SIGTERM)
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)

        events = try await Self.items("\(api)/connectors/\(connector)/telemetry/events?from=0&to=9999999999&limit=1000", token: token)
        #expect(events.compactMap { $0["k"] as? String } == ["Init", "Init", "Leave"], "the killed run's Init, the restart's Init, Leave")
        let stamps = events.map { ($0["t"] as? Double ?? 0, $0["n"] as? Int ?? 0) }
        #expect(zip(stamps, stamps.dropFirst()).allSatisfy { $0 < $1 }, "no (t, n) reused, in order")
        let snapshots = try await Self.items("\(api)/connectors/\(connector)/telemetry/snapshots?from=0&to=9999999999&limit=1000", token: token)
        let times = snapshots.compactMap { $0["t"] as? Double }
        #expect(times.count >= 15, "the ~20 snapshots of the killed run arrived (got \(times.count))")
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        let killedRun = times.filter { $0 < stamps[1].0 }
        #expect(killedRun.count >= 10, "the killed run's snapshots were delivered by the restart")
    }

    static func start(_ arguments: [String], token: String? = nil, binary: URL = CLI.binary) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if let token { environment["VCONNECTOR_API_TOKEN"] = token }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func waitForPort(_ port: Int) async throws {
        for _ in 0..<200 {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(descriptor)
            if connected == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CLIError(description: "mock-api did not listen on \(port)")
    }

    static func call(_ method: String, _ url: String, token: String, body: Any? = nil) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let body { request.httpBody = try JSONSerialization.data(withJSONObject: body) }
        let (data, _) = try await URLSession.shared.data(for: request)
        let envelope = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return envelope?["result"] as? [String: Any] ?? [:]
    }

    static func items(_ url: String, token: String) async throws -> [[String: Any]] {
        try await call("GET", url, token: token)["items"] as? [[String: Any]] ?? []
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
}
