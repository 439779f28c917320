import Foundation
import Logging
@testable import MockAPI
import TestSupport

/// A real mock-api server on a free loopback port with its own SQLite file, and a known account.
final class TestServer: @unchecked Sendable {
    static let account = "acc0000000000000000000000000000a"
    static let writeToken = "test-write-token"
    static let readToken = "test-read-token"
    static let otherAccount = "acc0000000000000000000000000000b"
    static let otherWriteToken = "other-write-token"

    let server: MockAPIServer
    let databasePath: String
    let port: Int
    private let task: Task<Void, any Error>

    var base: String { "http://127.0.0.1:\(port)/client/v4" }
    var client: TestClient { TestClient(base: base, token: Self.writeToken) }

    /// Starts a server; `databasePath` nil means a new temporary file; `catalogPath` a `--catalog` file.
    static func start(
        databasePath: String? = nil, maxBodyBytes: Int = MockAPIConfiguration.defaultMaxBodyBytes, catalogPath: String? = nil,
        idleTimeout: Double = MockAPIConfiguration.defaultIdleTimeout, headerTimeout: Double = MockAPIConfiguration.defaultHeaderTimeout,
        bodyTimeout: Double = MockAPIConfiguration.defaultBodyTimeout
    ) async throws -> TestServer {
        // A given path is the test's own (kept, e.g. to restart on it); otherwise a fresh database of this run's engine.
        let path = try databasePath ?? TestDatabase.make("mock-api-test")
        let owned = databasePath == nil
        var logger = Logger(label: "test.mock-api")
        logger.logLevel = .warning
        let server: MockAPIServer
        do {
            server = try MockAPIServer(
                configuration: MockAPIConfiguration(
                    host: "127.0.0.1", port: 0, databasePath: path, maxBodyBytes: maxBodyBytes, catalogPath: catalogPath,
                    idleTimeout: idleTimeout, headerTimeout: headerTimeout, bodyTimeout: bodyTimeout
                ),
                logger: logger
            )
        } catch {
            if owned { TestDatabase.remove(path) }
            throw error
        }
        try server.store.createAccount(id: account, writeToken: writeToken, readToken: readToken)
        try server.store.createAccount(id: otherAccount, writeToken: otherWriteToken)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let task = Task {
            try await server.run(handleSignals: false) { port in continuation.yield(port) }
        }
        var port = 0
        for await bound in stream { port = bound; break }
        return TestServer(server: server, databasePath: path, ownsDatabase: owned, port: port, task: task)
    }

    /// True when `databasePath` was made for this server.
    private let ownsDatabase: Bool

    private init(server: MockAPIServer, databasePath: String, ownsDatabase: Bool, port: Int, task: Task<Void, any Error>) {
        self.server = server
        self.databasePath = databasePath
        self.ownsDatabase = ownsDatabase
        self.port = port
        self.task = task
    }

    /// Stops the server and waits until it has shut down.
    func stop() async {
        await server.shutdown()
        _ = await task.result
        server.store.close()
    }

    /// A PostgreSQL database made for this server goes with it (not at `stop`: a test may restart on it). SQLite
    /// files stay in the scratch directory, removed at exit.
    deinit {
        if ownsDatabase && databasePath.hasPrefix("postgres://") { TestDatabase.remove(databasePath) }
    }
}

/// Runs `body` against a fresh server (with `catalogPath` as its `--catalog`) and stops it afterwards.
func withServer(catalogPath: String? = nil, _ body: (TestServer) async throws -> Void) async throws {
    await ServerSlots.shared.acquire()
    defer { Task { await ServerSlots.shared.release() } }
    let server = try await TestServer.start(catalogPath: catalogPath)
    do {
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

/// At most `limit` servers of `withServer` at once. Swift Testing starts every test at once; each server with its
/// listener and a kept-alive connection costs this process a few descriptors, and 130 of them at once passed
/// 1,024: the site tests' libnftables (in this same process) uses select(), which aborts on a descriptor number
/// over FD_SETSIZE.
actor ServerSlots {
    static let shared = ServerSlots(limit: 12)

    private let limit: Int
    private var inUse = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func acquire() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            inUse -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
