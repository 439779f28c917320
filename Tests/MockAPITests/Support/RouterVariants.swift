import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TestSupport

@testable import MockAPI

/// `withRouter` for a mock started with `--catalog catalogPath`: the catalog is read once, when the server is made.
/// Same database and accounts as `withRouter`; a backend chosen there must be chosen here too.
func withRouter(catalogPath: String, _ body: @Sendable (RouterClient) async throws -> Void) async throws {
    let path = TestScratch.path("mock-api-router", suffix: ".sqlite")
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    var logger = Logger(label: "test.mock-api.router")
    logger.logLevel = .warning
    let server = try MockAPIServer(
        configuration: MockAPIConfiguration(databasePath: path, catalogPath: catalogPath), logger: logger)
    try server.store.createAccount(
        id: TestServer.account, writeToken: TestServer.writeToken, readToken: TestServer.readToken)
    try server.store.createAccount(id: TestServer.otherAccount, writeToken: TestServer.otherWriteToken)
    let app = Application(router: server.makeRouter(), logger: logger)
    try await app.test(.router) { client in try await body(RouterClient(client: client, server: server)) }
}

/// The router of a running `TestServer`'s mock, driven in-process beside its socket over the same store: a test
/// seeds through it and reads the result over the socket (the dashboard in a browser).
func withRouter<Value: Sendable>(of server: TestServer, _ body: @Sendable (RouterClient) async throws -> Value)
    async throws -> Value
{
    var logger = Logger(label: "test.mock-api.router")
    logger.logLevel = .warning
    let app = Application(router: server.server.makeRouter(), logger: logger)
    return try await app.test(.router) { client in try await body(RouterClient(client: client, server: server.server)) }
}
