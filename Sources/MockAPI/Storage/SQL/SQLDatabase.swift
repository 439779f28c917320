import Blocking
import GRDB

/// The mock's database, SQLite or PostgreSQL: `read` and `write` run a store closure in one transaction on an
/// `SQLSession`, synchronously or from async code, as GRDB's `DatabaseWriter` does.
final class SQLDatabase: Sendable {
    enum Engine: Sendable {
        /// GRDB: a WAL `DatabasePool` on disk (one writer, concurrent readers), a queue for `:memory:`.
        case sqlite(any DatabaseWriter)
        case postgres(PostgresPool)
    }

    let engine: Engine

    init(_ engine: Engine) {
        self.engine = engine
    }

    var dialect: SQLDialect {
        switch engine {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// Blocks the calling thread: for start-up and tools, not request handlers (they use the async forms).
    func read<T>(_ body: (SQLSession) throws -> T) throws -> T {
        switch engine {
        case .sqlite(let writer): try writer.read { db in try body(SQLSession(connection: SQLiteConnection(db: db))) }
        case .postgres(let pool): try pool.transaction(mode: .read, body)
        }
    }

    /// Blocks the calling thread: for start-up and tools, not request handlers (they use the async forms).
    func write<T>(_ body: (SQLSession) throws -> T) throws -> T {
        switch engine {
        case .sqlite(let writer): try writer.write { db in try body(SQLSession(connection: SQLiteConnection(db: db))) }
        case .postgres(let pool): try pool.transaction(mode: .write, body)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T {
        switch engine {
        case .sqlite(let writer):
            try await writer.read { db in try body(SQLSession(connection: SQLiteConnection(db: db))) }
        case .postgres(let pool):
            // postgres-nio is asynchronous, store closures are not: the closure runs on a Blocking thread, which
            // waits on each statement's future. Not on a NIO event loop (the loop would wait for itself) and not on
            // the cooperative pool (its few threads would sit idle for every round trip to the server).
            try await Blocking.run { _ in try pool.transaction(mode: .read, body) }
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T {
        switch engine {
        case .sqlite(let writer):
            try await writer.write { db in try body(SQLSession(connection: SQLiteConnection(db: db))) }
        case .postgres(let pool):
            // See `read`: a Blocking thread, never an event loop.
            try await Blocking.run { _ in try pool.transaction(mode: .write, body) }
        }
    }

    /// Closes PostgreSQL's idle connections; SQLite's closes with the last reference.
    func close() {
        if case .postgres(let pool) = engine { pool.close() }
    }
}
