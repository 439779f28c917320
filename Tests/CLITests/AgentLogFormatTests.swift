import Foundation
import Testing

@Suite("vconnector-agent --log-format json, as a user runs it", .timeLimit(.minutes(1)))
struct AgentLogFormatTests {
    /// The agent against an API nobody answers: it starts, fails to deliver and stops on SIGTERM; every line it
    /// wrote to stderr is one JSON object with the fixed keys.
    @Test("every stderr line is one JSON object: ts, level, label, msg, source and the metadata")
    func jsonLines() async throws {
        let port = try CLI.freePort()
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("vct-logjson-\(UUID().uuidString)")
            .path
        let log = state + ".log"
        defer {
            try? FileManager.default.removeItem(atPath: state)
            try? FileManager.default.removeItem(atPath: log)
        }
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = CLI.agentBinary
        process.arguments = [
            "--api-base", "http://127.0.0.1:\(port)/client/v4", "--account-id", "acc-log", "--connector-id", "con-log",
            "--state-dir", state, "--snapshot-interval", "0.2", "--checkin-interval", "0.3", "--no-attestation",
            "--no-site-apply", "--log-format", "json", "--log-level", "info",
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(["VCONNECTOR_API_TOKEN": "t"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try process.run()
        try await Task.sleep(for: .seconds(1.5))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()

        let text = try String(contentsOfFile: log, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count >= 2, "\(text)")
        var messages: [String] = []
        for line in lines {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String], "\(line)")
            #expect(["ts", "level", "label", "msg", "source"].allSatisfy { object[$0] != nil }, "\(line)")
            #expect(line.hasPrefix(#"{"ts":""#))
            messages.append("\(object["level"] ?? ""): \(object["msg"] ?? "")")
        }
        #expect(messages.contains("info: agent starting"), "\(messages)")
        #expect(
            messages.contains { $0.hasPrefix("warning: ") }, "delivery to a closed port is warned about: \(messages)")
    }
}
