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
            let connector = "/accounts/{account_id}/magic/connectors/{connector_id}"
            for (path, method) in [
                ("\(connector)/attestation/challenge", "post"), ("\(connector)/attestation/verify", "post"),
                ("\(connector)/attestation/rotate", "post"), ("\(connector)/pki/csr", "post"), ("\(connector)/upgrade", "put"),
                ("\(connector)/upgrade/bundle", "get"), ("\(connector)/cloudflared_tunnel", "put"),
            ] {
                let operation = paths[path]?[method] as? [String: Any]
                #expect(operation?["x-vconnector-addition"] as? Bool == true, "\(method) \(path) is documented as an addition")
            }
            #expect(paths.keys.allSatisfy { !$0.contains("catalog-syncs") }, "catalog syncs are not served yet")
        }
    }
}
