import ConnectorAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import MockAPI
import TestSupport
import Testing

/// HummingbirdTesting's response (our socket tests have a `TestResponse` of their own).
typealias RouterResponse = HummingbirdTesting.TestResponse

/// The mock's router driven in-process through HummingbirdTesting's router client (no socket), over its own
/// SQLite file with the test accounts of `TestServer`.
struct RouterClient: Sendable {
    let client: any TestClientProtocol
    let server: MockAPIServer

    /// Sends `body` (JSON-encoded) or `raw` with `token` as bearer (nil: no credential); `path` is under `/client/v4`.
    func send(
        _ method: HTTPRequest.Method, _ path: String, token: String? = TestServer.writeToken, headers: HTTPFields = [:],
        body: (any Encodable)? = nil, raw: Data? = nil
    ) async throws -> RouterResponse {
        var fields = headers
        if let token { fields[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let body {
            buffer = ByteBuffer(data: try JSONEncoder().encode(body))
            fields[.contentType] = "application/json"
        } else if let raw {
            buffer = ByteBuffer(data: raw)
            fields[.contentType] = "application/json"
        }
        return try await client.executeRequest(uri: apiBase + path, method: method, headers: fields, body: buffer)
    }

    /// Headers by name, for those HTTPTypes has no constant for (`X-Auth-Key`).
    static func headers(_ pairs: [String: String]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields[.init(name)!] = value }
        return fields
    }

    /// The response's v4 envelope with its result decoded as `Result`.
    func decode<Result: Codable & Sendable>(_ type: Result.Type, _ response: RouterResponse) throws -> Envelope<Result> {
        try JSONDecoder().decode(Envelope<Result>.self, from: Data(buffer: response.body))
    }
}

/// Runs `body` against a fresh mock's router (on this run's engine: see `TestDatabase`) and removes its database afterwards.
/// `catalogPath` is the mock's `--catalog` (read once, when the server is made).
func withRouter(catalogPath: String? = nil, _ body: @Sendable (RouterClient) async throws -> Void) async throws {
    let path = try TestDatabase.make("mock-api-router")
    defer { TestDatabase.remove(path) }
    var logger = Logger(label: "test.mock-api.router")
    logger.logLevel = .warning
    let server = try MockAPIServer(
        configuration: MockAPIConfiguration(databasePath: path, catalogPath: catalogPath), logger: logger)
    try server.store.createAccount(id: TestServer.account, writeToken: TestServer.writeToken, readToken: TestServer.readToken)
    try server.store.createAccount(id: TestServer.otherAccount, writeToken: TestServer.otherWriteToken)
    defer { server.store.close() }
    let app = Application(router: server.makeRouter(), logger: logger)
    try await app.test(.router) { client in try await body(RouterClient(client: client, server: server)) }
}

/// Checks a failure: HTTP status, the documented envelope, our error code, and that the message names `mentions`.
func expectFailure(
    _ response: RouterResponse, status: HTTPResponse.Status, code: Int, mentions: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let text = String(buffer: response.body)
    #expect(response.status == status, "status \(response.status): \(text)", sourceLocation: sourceLocation)
    let envelope = try? JSONDecoder().decode(Envelope<String>.self, from: Data(buffer: response.body))
    #expect(envelope?.success == false && envelope?.result == nil, "not the failure envelope: \(text)", sourceLocation: sourceLocation)
    #expect(envelope?.errors.first?.code == code, "code: \(text)", sourceLocation: sourceLocation)
    if let mentions {
        #expect(envelope?.errors.first?.message.contains(mentions) == true, "message should mention '\(mentions)': \(text)", sourceLocation: sourceLocation)
    }
}

extension RouterClient {
    /// POSTs a connector and returns it as created (with its license key, if one was provisioned).
    func createConnector(_ fields: ConnectorFields, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Connector {
        let response = try await send(.post, Paths.connectors, body: fields)
        return try #require(try decode(Connector.self, response).result, "create connector: \(String(buffer: response.body))", sourceLocation: sourceLocation)
    }
}
