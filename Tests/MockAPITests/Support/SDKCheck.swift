import Foundation
import Testing

/// Runs `fixtures/mock-api/<script> BASE ACCOUNT TOKEN <extra...>` (an official-SDK check) against `server`, once the
/// SDK is known to be installed, and expects it to succeed and print its summary line; returns its output.
@discardableResult
func runSDKCheck(_ script: String, on server: TestServer, extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
    let probe = try await runProcess(["python3", "-c", "import cloudflare"])
    try #require(
        probe.status == 0,
        "the Cloudflare Python SDK is not installed; run: python3 -m pip install 'cloudflare>=4,<6'\n\(probe.output)",
        sourceLocation: sourceLocation
    )
    let result = try await runProcess(["python3", fixtureURL(script).path, server.base, TestServer.account, TestServer.writeToken] + extra)
    #expect(result.status == 0, "\(script) failed:\n\(result.output)", sourceLocation: sourceLocation)
    #expect(result.output.contains("responses parsed and validated"), "\(result.output)", sourceLocation: sourceLocation)
    return result.output
}
