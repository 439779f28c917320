import Foundation
import Hummingbird
@testable import MockAPI
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

    /// `/accounts/:account_id/magic/apps/:object_id` and `/accounts/{account_id}/magic/apps/{account_app_id}` alike:
    /// parameters are positions, not names.
    static func shape(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") || ($0.hasPrefix("{") && $0.hasSuffix("}")) ? "{}" : String($0) }
            .joined(separator: "/")
    }

    @Test("every route the router serves is in openapi.json, and every operation there is served")
    func documentMatchesRouter() async throws {
        try await withServer { server in
            // The routes as registered, before the 405 answers for the other methods are added.
            let router = Router(context: MockRequestContext.self)
            server.server.addRoutes(to: router)
            // Only the API's own paths: a page or /metrics outside /client/v4 is not an API operation.
            let served = Set(router.routes.filter { $0.path.description.hasPrefix(apiBase + "/") }.map { route in
                "\(route.method.rawValue) \(Self.shape(String(route.path.description.dropFirst(apiBase.count))))"
            })
            var client = server.client
            client.token = nil
            let paths = try #require(try await client.get("/openapi.json").json["paths"] as? [String: [String: Any]])
            let methods = ["get", "post", "put", "patch", "delete", "head", "options", "trace"]
            let documented = Set(paths.flatMap { path, operations in
                operations.keys.filter(methods.contains).map { "\($0.uppercased()) \(Self.shape(path))" }
            })
            #expect(served.count > 100 && served.contains("PATCH /accounts/{}/magic/apps/{}"), "the whole router: \(served.count)")
            #expect(served.subtracting(documented).sorted() == [], "served but not documented")
            #expect(documented.subtracting(served).sorted() == [], "documented but not served")
            for (path, operations) in paths {
                for (method, operation) in operations where methods.contains(method) {
                    let responses = (operation as? [String: Any])?["responses"] as? [String: Any] ?? [:]
                    #expect(responses["4XX"] != nil, "\(method) \(path) documents the 4xx answers it can give")
                }
            }
        }
    }

    @Test("apps and interrupts are documented; the connector fields the mock derives are read-only")
    func newFamilies() async throws {
        try await withServer { server in
            var client = server.client
            client.token = nil
            let document = try await client.get("/openapi.json").json
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let apps = "/accounts/{account_id}/magic/apps"
            #expect(Set(paths[apps]?.keys.map { $0 } ?? []) == ["get", "post"])
            #expect(Set(paths["\(apps)/{account_app_id}"]?.keys.map { $0 } ?? []) == ["put", "patch", "delete"])
            let interrupts = "/accounts/{account_id}/magic/connectors/{connector_id}/interrupts"
            let create = paths[interrupts]?["post"] as? [String: Any]
            #expect((create?["responses"] as? [String: Any])?["409"] != nil && (create?["responses"] as? [String: Any])?["422"] != nil)
            #expect((paths["\(interrupts)/triggered"]?["post"] as? [String: Any])?["x-vconnector-addition"] as? Bool == true)
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]] ?? [:]
            let connector = schemas["mconn_customer_connector"]?["properties"] as? [String: [String: Any]]
            #expect(connector?["primary"]?["readOnly"] as? Bool == true && connector?["site_id"]?["readOnly"] as? Bool == true)
            #expect((schemas["mconn_customer_connector_fields"]?["properties"] as? [String: Any])?["primary"] == nil, "not taken from bodies")
            let appConfig = paths["/accounts/{account_id}/magic/sites/{site_id}/app_configs/{app_config_id}"]?["patch"] as? [String: Any]
            #expect(appConfig != nil && appConfig?["x-vconnector-addition"] == nil, "app config PATCH is in seed 003, not an addition")
            let sites = (paths["/accounts/{account_id}/magic/sites"]?["get"] as? [String: Any])?["parameters"] as? [[String: Any]] ?? []
            #expect(Set(sites.compactMap { $0["name"] as? String }).isSuperset(of: ["connector_identifier", "connectorid"]))
        }
    }
}
