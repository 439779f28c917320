import Foundation
import Testing

@Suite("OpenAPI document")
struct OpenAPITests {
    @Test func servesDocumentedEndpointsAndOurAdditions() async throws {
        try await withServer { server in
            var client = server.client
            client.token = nil
            let response = try await client.get("/openapi.json")
            #expect(response.status == 200)
            let paths = try #require(response.json["paths"] as? [String: [String: Any]])
            let telemetry = "/accounts/{account_id}/magic/connectors/{connector_id}/telemetry"
            #expect(paths["\(telemetry)/snapshots"]?["post"] != nil, "the device's snapshot ingest is documented")
            #expect(paths["\(telemetry)/events"]?["post"] != nil, "the device's event ingest is documented")
            #expect(paths["\(telemetry)/snapshots"]?["get"] != nil)
            #expect(paths["/accounts/{account_id}/magic/sites/{site_id}/lans/{lan_id}"]?["patch"] != nil)
            #expect(paths["/accounts/{account_id}/magic/sites/{site_id}/app_configs/{app_config_id}"]?["get"] != nil)
            #expect(paths["/openapi.json"]?["get"] != nil)
            let syncs = "/accounts/{account_id}/magic/cloud/catalog-syncs"
            for (path, method) in [(syncs, "post"), ("\(syncs)/prebuilt-policies", "get"), ("\(syncs)/{sync_id}", "patch"), ("\(syncs)/{sync_id}/refresh", "post")] {
                #expect(paths[path]?[method] != nil, "\(method) \(path) is served")
                #expect((paths[path]?[method] as? [String: Any])?["x-vconnector-addition"] == nil, "documented, not an addition")
            }
            for path in ["/accounts/{account_id}/magic/cloud/catalog/resources", "/accounts/{account_id}/gateway/lists/{list_id}/items"] {
                #expect((paths[path]?["get"] as? [String: Any])?["x-vconnector-addition"] as? Bool == true, "\(path) is marked as our addition")
            }
            let connector = "/accounts/{account_id}/magic/connectors/{connector_id}"
            for (path, method) in [
                ("\(connector)/attestation/challenge", "post"), ("\(connector)/attestation/verify", "post"),
                ("\(connector)/attestation/rotate", "post"), ("\(connector)/pki/csr", "post"), ("\(connector)/upgrade", "put"),
                ("\(connector)/upgrade/bundle", "get"), ("\(connector)/cloudflared_tunnel", "put"),
            ] {
                let operation = paths[path]?[method] as? [String: Any]
                #expect(operation?["x-vconnector-addition"] as? Bool == true, "\(method) \(path) is documented as an addition")
            }
        }
    }
}
