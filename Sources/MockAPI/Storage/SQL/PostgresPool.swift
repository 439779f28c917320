import Dispatch
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// mock-api's connections to PostgreSQL: opened on demand up to `size`, reused, and one transaction per lease.
/// Everything here blocks its thread (waits on futures and on a free connection), so it runs only on `Blocking`
/// threads, never on a NIO event loop or the cooperative pool (see `SQLDatabase`).
final class PostgresPool: Sendable {
    let url: PostgresURL
    let size: Int
    private let idle = Mutex<[PostgresConnection]>([])
    private let free: DispatchSemaphore
    private let nextID = Atomic<Int>(0)
    private let logger: Logger

    init(url: PostgresURL, size: Int = 8, logger: Logger = Logger(label: "vconnector.mock-api.postgres")) {
        self.url = url
        self.size = size
        self.free = DispatchSemaphore(value: size)
        self.logger = logger
    }

    deinit {
        for connection in idle.withLock({ $0 }) { connection.close().whenComplete { _ in } }
    }

    /// Runs `body` in one transaction, retried whole (up to 20 times) when PostgreSQL reports a serialization
    /// failure or deadlock. Writes are SERIALIZABLE: store code checks then writes (a name is free, then insert)
    /// as it does on SQLite's single writer, and several replicas on one database must see the same outcome as
    /// if their transactions ran one at a time. Reads are a REPEATABLE READ snapshot, like an SQLite WAL reader.
    enum Mode {
        case read, write, migrate

        var begin: String {
            switch self {
            case .read: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
            case .write: "BEGIN ISOLATION LEVEL SERIALIZABLE"
            case .migrate: "BEGIN ISOLATION LEVEL READ COMMITTED"
            }
        }
    }

    func transaction<T>(mode: Mode, _ body: (SQLSession) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let connection = try lease()
            defer { release(connection) }
            let engine = PostgresSQLConnection(connection: connection, logger: logger)
            let session = SQLSession(connection: engine)
            do {
                _ = try engine.run(mode.begin, [])
                let value = try body(session)
                _ = try engine.run("COMMIT", [])
                return value
            } catch {
                _ = try? engine.run("ROLLBACK", [])
                if let failure = error as? PostgresStatementError, failure.isRetryable, attempt < 20 {
                    // Back off a little, growing: the conflicting transaction is committing.
                    usleep(UInt32(min(attempt * attempt, 100)) * 1000)
                    continue
                }
                throw error
            }
        }
    }

    private func lease() throws -> PostgresConnection {
        free.wait()
        while let connection = idle.withLock({ $0.popLast() }) {
            if !connection.isClosed { return connection }
        }
        do {
            return try PostgresConnection.connect(
                on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration,
                id: nextID.wrappingAdd(1, ordering: .relaxed).oldValue, logger: logger
            ).wait()
        } catch {
            free.signal()
            throw PostgresConnectError(url: url, underlying: error)
        }
    }

    private func release(_ connection: PostgresConnection) {
        if !connection.isClosed { idle.withLock { $0.append(connection) } }
        free.signal()
    }

    /// Closes the idle connections (those leased are closed when returned after this, or by deinit).
    func close() {
        for connection in idle.withLock({ connections in defer { connections = [] }; return connections }) {
            _ = try? connection.close().wait()
        }
    }

    /// The URL's password, else PGPASSWORD (as libpq reads it), which keeps it out of the process list.
    private var configuration: PostgresConnection.Configuration {
        let password = url.password ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
        if let socket = url.socketPath {
            return .init(unixSocketPath: socket, username: url.user, password: password, database: url.database)
        }
        return .init(host: url.host ?? "localhost", port: url.port, username: url.user, password: password, database: url.database, tls: .disable)
    }
}

/// The server could not be reached or refused us; names it without the password.
struct PostgresConnectError: Error, CustomStringConvertible {
    let url: PostgresURL
    let underlying: any Error

    var description: String {
        let reason = (underlying as? PSQLError).map { error in
            error.serverInfo?[.message] ?? "\(error.code)"
        } ?? "\(underlying)"
        return "cannot connect to \(url): \(reason)"
    }
}
