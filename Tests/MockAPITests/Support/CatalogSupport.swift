import ConnectorAPI
import Foundation
import Hummingbird
import Testing

/// fixtures/catalog/example.json, the realistic catalog shipped for `--catalog`.
let exampleCatalogPath: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures/catalog/example.json")
    .path

/// Catalog-sync paths under an account.
enum CatalogPaths {
    static func syncs(_ account: String = TestServer.account) -> String {
        "/accounts/\(account)/magic/cloud/catalog-syncs"
    }
    static func sync(_ id: String, _ account: String = TestServer.account) -> String { "\(syncs(account))/\(id)" }
    static func resources(_ account: String = TestServer.account) -> String {
        "/accounts/\(account)/magic/cloud/catalog/resources"
    }
    static func list(_ id: String, _ account: String = TestServer.account) -> String {
        "/accounts/\(account)/gateway/lists/\(id)"
    }
}

/// The failure envelope of the catalog and Magic tunnel families: each error in the documented ResponseInfo shape.
struct MCNFailure: Codable, Sendable {
    let success: Bool
    let errors: [CatalogErrorItem]

    init(_ response: RouterResponse) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(buffer: response.body))
    }
}

/// Checks a catalog-sync or Magic tunnel failure: status, code, message, and the documented item shape
/// (`documentation_url`, `meta.trace_id`, and `source` pointing at `pointer` or `parameter` when given).
func expectMCNFailure(
    _ response: RouterResponse, status: HTTPResponse.Status, code: Int, mentions: String? = nil, pointer: String? = nil,
    parameter: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    expectFailure(response, status: status, code: code, mentions: mentions, sourceLocation: sourceLocation)
    let item = (try? MCNFailure(response))?.errors.first
    #expect(
        item?.documentationUrl?.hasPrefix("https://") == true, "documentation_url: \(response.text)",
        sourceLocation: sourceLocation)
    #expect(item?.meta?.traceId?.isEmpty == false, "meta.trace_id: \(response.text)", sourceLocation: sourceLocation)
    if let pointer {
        #expect(
            item?.source?.pointer == pointer, "source.pointer should be \(pointer): \(response.text)",
            sourceLocation: sourceLocation)
    }
    if let parameter {
        #expect(
            item?.source?.parameter == parameter, "source.parameter should be \(parameter): \(response.text)",
            sourceLocation: sourceLocation)
    }
}

extension TestClient {
    /// Creates a sync and returns its JSON; fails the test unless the answer is 201.
    func createSync(
        name: String = "sync-\(UUID().uuidString.prefix(8))", destination: String = "ZERO_TRUST_LIST",
        mode: String = "MANUAL",
        policy: String? = nil, account: String = TestServer.account
    ) async throws -> [String: Any] {
        var body: [String: Any] = ["name": name, "destination_type": destination, "update_mode": mode]
        if let policy { body["policy"] = policy }
        let response = try await post(CatalogPaths.syncs(account), body)
        try #require(response.status == 201, "create sync: \(response.text)")
        return response.object
    }

    /// The values in a Zero Trust list, in order.
    func listValues(_ listID: String, account: String = TestServer.account) async throws -> [String] {
        let response = try await get("\(CatalogPaths.list(listID, account))/items?per_page=1000")
        try #require(response.status == 200, "list items: \(response.text)")
        return response.array.compactMap { $0["value"] as? String }
    }
}

extension RouterClient {
    /// Creates a sync and returns it; fails the test unless the answer is 201.
    func createSync(
        name: String = "sync-\(UUID().uuidString.prefix(8))", destination: String = "ZERO_TRUST_LIST",
        mode: String = "MANUAL",
        policy: String? = nil, account: String = TestServer.account, token: String = TestServer.writeToken,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CatalogSync {
        let body = CatalogSyncRequest(destinationType: destination, name: name, updateMode: mode, policy: policy)
        let response = try await send(.post, CatalogPaths.syncs(account), token: token, body: body)
        try #require(response.status == .created, "create sync: \(response.text)", sourceLocation: sourceLocation)
        return try #require(try decode(CatalogSync.self, response).result, sourceLocation: sourceLocation)
    }

    /// The values in a Zero Trust list, in order.
    func listValues(
        _ listID: String, account: String = TestServer.account, token: String = TestServer.writeToken,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String] {
        let response = try await send(.get, "\(CatalogPaths.list(listID, account))/items?per_page=1000", token: token)
        try #require(response.status == .ok, "list items: \(response.text)", sourceLocation: sourceLocation)
        return try decode([GatewayListItem].self, response).result?.map(\.value) ?? []
    }
}

extension Code {
    static let invalidPolicy = 1013
    static let destinationFull = 1014
    static let mcnInternalError = 1018
}
