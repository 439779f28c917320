import Testing

/// Runs fixtures/mock-api/sdk_check.py: the official Cloudflare Python SDK against a live server.
@Suite("Cloudflare Python SDK")
struct SDKTests {
    @Test func officialPythonSDKParsesEveryResponse() async throws {
        try await withServer { server in
            try await runSDKCheck("sdk_check.py", on: server, extra: [fixtureURL("snapshot.json").path])
        }
    }
}
