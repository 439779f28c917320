import Foundation
import GRDB
import Synchronization

/// The mock's database: SQLite through GRDB (a WAL `DatabasePool` on disk, a queue for `:memory:`), the embedded
/// default, or PostgreSQL (`postgres://...`) for several replicas serving one fleet. Migrated at open.
public final class MockStore: Sendable {
    let writer: SQLDatabase
    /// Where the data is, for logs and errors: a file path, or the PostgreSQL URL without its password.
    public let location: String
    /// Telemetry rows stored since start, for /metrics (this replica's).
    let ingestTally = IngestTally()
    /// Credentials by secret hash, for SQLite only (see `principal(token:)`); adding one clears this.
    let principals = Mutex<[String: Principal]>([:])

    /// Opens (creating if needed) the database at `path`: an SQLite file, `:memory:` for a throwaway database,
    /// or a `postgres://user[:password]@host[:port]/dbname` URL.
    public init(path: String) throws {
        if PostgresURL.isPostgres(path) {
            let url = try PostgresURL(path)
            location = url.description
            let pool = PostgresPool(url: url)
            writer = SQLDatabase(.postgres(pool))
            do {
                try PostgresMigrator.migrate(pool)
            } catch {
                throw MockStoreError(path: location, underlying: error)
            }
            return
        }
        location = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // WAL + NORMAL: commits don't fsync; a crash can lose the last commits but never corrupts.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -65536")  // 64 MiB page cache per connection
            // Checkpoint (and fsync) every ~40 MiB of WAL instead of every 4 MiB: ingest writes ~6 KiB per snapshot.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 10000")
        }
        let sqlite: any DatabaseWriter
        if path == ":memory:" {
            sqlite = try DatabaseQueue(configuration: configuration)
        } else {
            configuration.maximumReaderCount = 8
            do {
                try DatabaseFileMode.restrict(path: path)
                sqlite = try DatabasePool(path: path, configuration: configuration)
            } catch {
                throw MockStoreError(path: path, underlying: error)
            }
        }
        writer = SQLDatabase(.sqlite(sqlite))
        do {
            try Schema.migrator.migrate(sqlite)
            // SQLite already created -wal and -shm with the file's mode; this also fixes files left by an older run.
            if path != ":memory:" { try DatabaseFileMode.restrict(path: path) }
        } catch {
            throw MockStoreError(path: path, underlying: error)
        }
    }

    /// Closes PostgreSQL connections now rather than when the store goes away.
    public func close() {
        writer.close()
    }

    /// True when no account exists yet (a first start).
    public func isEmpty() throws -> Bool {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM accounts") == 0 }
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    /// ISO 8601 with milliseconds, UTC (`2026-11-23T19:30:00.123Z`), as the API writes timestamps. Hand-rolled:
    /// it runs on every telemetry check-in, and Foundation's formatters cost tens of microseconds.
    static func timestamp(_ date: Date = Date()) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds % 1000), 3))Z"
    }
}

/// Random identifiers and secrets.
enum Identifier {
    /// 32 lowercase hex digits, the shape of Cloudflare resource ids.
    static func make() -> String { hex(bytes: 16) }

    static func hex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var text = ""
        text.reserveCapacity(count * 2)
        for _ in 0..<count {
            let byte = UInt8.random(in: 0...255, using: &generator)
            text += String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }
        return text
    }
}
