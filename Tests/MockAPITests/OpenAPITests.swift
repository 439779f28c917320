import Foundation
import Hummingbird
import Testing

@testable import MockAPI

@Suite("OpenAPI document")
struct OpenAPITests {
    @Test func servesDocumentedEndpointsAndOurAdditions() async throws {
        try await withRouter { api in
            let response = try await api.send(.get, "/openapi.json", token: nil)
            #expect(response.status == .ok)
            let document = try JSONDecoder().decode(OpenAPIDocument.self, from: Data(buffer: response.body))
            let paths = document.paths
            let telemetry = "/accounts/{account_id}/magic/connectors/{connector_id}/telemetry"
            #expect(paths["\(telemetry)/snapshots"]?["post"] != nil, "the device's snapshot ingest is documented")
            #expect(paths["\(telemetry)/events"]?["post"] != nil, "the device's event ingest is documented")
            #expect(paths["\(telemetry)/snapshots"]?["get"] != nil)
            #expect(paths["/accounts/{account_id}/magic/sites/{site_id}/lans/{lan_id}"]?["patch"] != nil)
            #expect(paths["/accounts/{account_id}/magic/sites/{site_id}/app_configs/{app_config_id}"]?["get"] != nil)
            #expect(paths["/openapi.json"]?["get"] != nil)
            let syncs = "/accounts/{account_id}/magic/cloud/catalog-syncs"
            for (path, method) in [
                (syncs, "post"), ("\(syncs)/prebuilt-policies", "get"), ("\(syncs)/{sync_id}", "patch"),
                ("\(syncs)/{sync_id}/refresh", "post"),
            ] {
                #expect(paths[path]?[method] != nil, "\(method) \(path) is served")
                #expect(document.operation(path, method)?.addition == nil, "documented, not an addition")
            }
            for path in [
                "/accounts/{account_id}/magic/cloud/catalog/resources",
                "/accounts/{account_id}/gateway/lists/{list_id}/items",
            ] {
                #expect(document.operation(path, "get")?.addition == true, "\(path) is marked as our addition")
            }
            let connector = "/accounts/{account_id}/magic/connectors/{connector_id}"
            for (path, method) in [
                ("\(connector)/attestation/challenge", "post"), ("\(connector)/attestation/verify", "post"),
                ("\(connector)/attestation/rotate", "post"), ("\(connector)/pki/csr", "post"),
                ("\(connector)/upgrade", "put"),
                ("\(connector)/upgrade/bundle", "get"), ("\(connector)/cloudflared_tunnel", "put"),
            ] {
                #expect(
                    document.operation(path, method)?.addition == true, "\(method) \(path) is documented as an addition"
                )
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
        try await withRouter { api in
            // The routes as registered, before the 405 answers for the other methods are added.
            let router = Router(context: MockRequestContext.self)
            api.server.addRoutes(to: router)
            // Only the API's own paths: a page or /metrics outside /client/v4 is not an API operation.
            let served = Set(
                router.routes.filter { $0.path.description.hasPrefix(apiBase + "/") }.map { route in
                    "\(route.method.rawValue) \(Self.shape(String(route.path.description.dropFirst(apiBase.count))))"
                })
            let document = try await api.openAPIDocument()
            let methods = ["get", "post", "put", "patch", "delete", "head", "options", "trace"]
            let documented = Set(
                document.paths.flatMap { path, operations in
                    operations.keys.filter(methods.contains).map { "\($0.uppercased()) \(Self.shape(path))" }
                })
            #expect(
                served.count > 100 && served.contains("PATCH /accounts/{}/magic/apps/{}"),
                "the whole router: \(served.count)")
            #expect(served.subtracting(documented).sorted() == [], "served but not documented")
            #expect(documented.subtracting(served).sorted() == [], "documented but not served")
            for (path, operations) in document.paths {
                for (method, operation) in operations where methods.contains(method) {
                    #expect(
                        operation.value?.responses?["4XX"] != nil,
                        "\(method) \(path) documents the 4xx answers it can give")
                }
            }
        }
    }

    @Test("apps and interrupts are documented; the connector fields the mock derives are read-only")
    func newFamilies() async throws {
        try await withRouter { api in
            let document = try await api.openAPIDocument()
            let apps = "/accounts/{account_id}/magic/apps"
            #expect(document.keys(apps) == ["get", "post"])
            #expect(document.keys("\(apps)/{account_app_id}") == ["put", "patch", "delete"])
            let interrupts = "/accounts/{account_id}/magic/connectors/{connector_id}/interrupts"
            let create = document.operation(interrupts, "post")
            #expect(create?.responses?["409"] != nil && create?.responses?["422"] != nil)
            #expect(document.operation("\(interrupts)/triggered", "post")?.addition == true)
            let schemas = document.components?.schemas ?? [:]
            let connector = schemas["mconn_customer_connector"]?.value?.properties
            #expect(connector?["primary"]?.value?.readOnly == true && connector?["site_id"]?.value?.readOnly == true)
            #expect(
                schemas["mconn_customer_connector_fields"]?.value?.properties?["primary"] == nil,
                "not taken from bodies")
            let appConfig = document.operation(
                "/accounts/{account_id}/magic/sites/{site_id}/app_configs/{app_config_id}", "patch")
            #expect(appConfig != nil && appConfig?.addition == nil, "app config PATCH is in seed 003, not an addition")
            let sites = document.operation("/accounts/{account_id}/magic/sites", "get")?.parameters ?? []
            let names = Set(sites.compactMap(\.name))
            #expect(names.isSuperset(of: ["connector_identifier", "connectorid"]))
        }
    }
}
