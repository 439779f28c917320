import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TestSupport

@testable import MockAPI

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
