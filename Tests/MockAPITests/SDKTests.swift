import Foundation
import Testing

/// Runs fixtures/mock-api/sdk_check.py: the official Cloudflare Python SDK against a live server.
@Suite("Cloudflare Python SDK")
struct SDKTests {
    @Test func officialPythonSDKParsesEveryResponse() async throws {
        let probe = try await run(["python3", "-c", "import cloudflare"])
        try #require(
            probe.status == 0,
            "the Cloudflare Python SDK is not installed; run: python3 -m pip install 'cloudflare>=4,<6'\n\(probe.output)"
        )
        try await withServer { server in
            let script = fixtureURL("sdk_check.py").path
            let snapshot = fixtureURL("snapshot.json").path
            let result = try await run(["python3", script, server.base, TestServer.account, TestServer.writeToken, snapshot])
            #expect(result.status == 0, "sdk_check.py failed:\n\(result.output)")
            #expect(result.output.contains("responses parsed and validated"), "\(result.output)")
        }
    }

    /// Runs a command to completion on its own thread (waiting must not block the cooperative pool the
    /// server under test needs), returning its exit status and combined output.
    private func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try runBlocking(arguments) }) }.start()
        }
    }

    private func runBlocking(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
