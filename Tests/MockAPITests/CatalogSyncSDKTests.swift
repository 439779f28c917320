import Testing

/// Runs fixtures/mock-api/sdk_catalog_sync_check.py: the official Python SDK's
/// `magic_cloud_networking.catalog_syncs` against a live server with the example catalog.
@Suite("Cloudflare Python SDK: catalog syncs")
struct CatalogSyncSDKTests {
    @Test func officialPythonSDKDrivesCatalogSyncs() async throws {
        try await withServer(catalogPath: exampleCatalogPath) { server in
            try await runSDKCheck("sdk_catalog_sync_check.py", on: server)
        }
    }
}
