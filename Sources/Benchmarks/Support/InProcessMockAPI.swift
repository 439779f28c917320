import Foundation
import Logging
import MockAPI

/// mock-api served from this process on a free loopback port, from a temporary SQLite file, with one account and
/// its write token: what a benchmark (or a test) posts to over real HTTP.
public final class InProcessMockAPI: Sendable {
    public let port: Int
    public let databasePath: String
    private let server: MockAPIServer
    private let task: Task<Void, any Error>

    private init(port: Int, databasePath: String, server: MockAPIServer, task: Task<Void, any Error>) {
        self.port = port
        self.databasePath = databasePath
        self.server = server
        self.task = task
    }

    /// `http://127.0.0.1:PORT/client/v4`.
    public var base: URL { URL(string: "http://127.0.0.1:\(port)/client/v4")! }

    /// Starts the server (logging only warnings) and returns once it listens.
    public static func start(account: String, token: String, logger: Logger) async throws -> InProcessMockAPI {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "vconnector-mock-\(UUID().uuidString).sqlite"
        ).path
        var serverLogger = logger
        serverLogger.logLevel = .warning
        let server = try MockAPIServer(
            configuration: MockAPIConfiguration(host: "127.0.0.1", port: 0, databasePath: path), logger: serverLogger)
        try server.store.createAccount(id: account, writeToken: token)
        let (ports, bound) = AsyncStream<Int>.makeStream()
        let task = Task { try await server.run(handleSignals: false) { bound.yield($0) } }
        var port = 0
        for await value in ports {
            port = value
            break
        }
        return InProcessMockAPI(port: port, databasePath: path, server: server, task: task)
    }

    /// Shuts the server down, waits for it, and removes its database files.
    public func stop() async {
        await server.shutdown()
        _ = await task.result
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
    }
}
