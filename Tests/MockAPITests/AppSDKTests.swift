import Testing

/// Runs fixtures/mock-api/sdk_apps_check.py: the official SDK's `magic_transit.apps` against a live server.
@Suite("Cloudflare Python SDK: apps")
struct AppSDKTests {
    @Test func officialPythonSDKDrivesEveryAppMethod() async throws {
        try await withServer { server in
            let output = try await runSDKCheck("sdk_apps_check.py", on: server)
            #expect(output.contains("apps.edit") && output.contains("apps.delete (409"), "\(output)")
        }
    }
}
