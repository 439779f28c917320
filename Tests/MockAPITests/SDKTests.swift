import Foundation
import Testing

/// Runs fixtures/mock-api/sdk_check.py: the official Cloudflare Python SDK against a live server.
@Suite("Cloudflare Python SDK")
struct SDKTests {
    @Test func officialPythonSDKParsesEveryResponse() async throws {
        let probe = try await runProcess(["python3", "-c", "import cloudflare"])
        try #require(
            probe.status == 0,
            "the Cloudflare Python SDK is not installed; run: python3 -m pip install 'cloudflare>=4,<6'\n\(probe.output)"
        )
        try await withServer { server in
            let script = fixtureURL("sdk_check.py").path
            let snapshot = fixtureURL("snapshot.json").path
            let result = try await runProcess(["python3", script, server.base, TestServer.account, TestServer.writeToken, snapshot])
            #expect(result.status == 0, "sdk_check.py failed:\n\(result.output)")
            #expect(result.output.contains("responses parsed and validated"), "\(result.output)")
        }
    }
}
