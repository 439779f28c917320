import Foundation
import Testing

/// A slowloris of 1,500 connections against `vconnector mock-api` run as a user runs it. The flood comes from a
/// process of its own (fixtures/mock-api/slowloris.py) and the server is a child process, so the test process
/// never holds thousands of descriptors (the site tests in this process use libnftables, whose select() aborts on
/// a descriptor number over 1,024).
@Suite("mock-api under a slowloris")
struct MockAPISlowlorisTests {
    static let connections = 1500

    @Test("1,500 stalled connections do not hold the server, and are closed after the header timeout")
    func slowloris() async throws {
        let port = try CLI.freePort()
        let token = "slowloris-\(UUID().uuidString.prefix(8))"
        let headerTimeout = 2.0
        let server = try CLI.start([
            "mock-api", "--listen", "127.0.0.1:\(port)", "--db", ":memory:", "--account-id", "acc-slow", "--api-token", token,
            "--header-timeout", "\(headerTimeout)", "--log-level", "error",
        ])
        defer { server.terminate(); server.waitUntilExit() }
        try await CLI.waitForPort(port)

        let flood = Process()
        flood.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        flood.arguments = ["python3", CLI.fixtures.appendingPathComponent("mock-api/slowloris.py").path,
                           "\(port)", "\(Self.connections)", token, "acc-slow", "\(headerTimeout + 30)"]
        let output = Pipe()
        flood.standardOutput = output
        try flood.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        flood.waitUntilExit()
        #expect(flood.terminationStatus == 0)
        let result = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(String(decoding: data, as: UTF8.self))")
        #expect(result["first_status"] as? String == "200", "a fresh client was served while the flood was held")
        #expect(result["later_status"] as? String == "200")
        #expect((result["later_seconds"] as? Double ?? 99) < 2, "a new connection answered in under 2 s while \(Self.connections) were held")
        #expect(result["still_open"] as? Int == 0, "every stalled connection was closed by the server: \(result)")
        #expect((result["closed_seconds"] as? Double ?? 0) >= headerTimeout * 0.9, "not before the header timeout: \(result)")
        print("slowloris: \(result)")
    }
}
