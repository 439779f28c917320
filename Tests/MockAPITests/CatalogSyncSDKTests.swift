import Foundation
import Testing

/// Runs fixtures/mock-api/sdk_catalog_sync_check.py: the official Python SDK's
/// `magic_cloud_networking.catalog_syncs` against a live server with the example catalog.
@Suite("Cloudflare Python SDK: catalog syncs")
struct CatalogSyncSDKTests {
    @Test func officialPythonSDKDrivesCatalogSyncs() async throws {
        let probe = try await runProcess(["python3", "-c", "import cloudflare"])
        try #require(
            probe.status == 0,
            "the Cloudflare Python SDK is not installed; run: python3 -m pip install 'cloudflare>=4,<6'\n\(probe.output)"
        )
        try await withServer(catalogPath: exampleCatalogPath) { server in
            let script = fixtureURL("sdk_catalog_sync_check.py").path
            let result = try await runProcess(["python3", script, server.base, TestServer.account, TestServer.writeToken])
            #expect(result.status == 0, "sdk_catalog_sync_check.py failed:\n\(result.output)")
            #expect(result.output.contains("responses parsed and validated"), "\(result.output)")
        }
    }
}
