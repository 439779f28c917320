import Foundation
import GRDB

/// The mock's database: one GRDB writer (a WAL `DatabasePool` on disk, a queue for `:memory:`), migrated at open.
public final class MockStore: Sendable {
    let writer: any DatabaseWriter

    /// Opens (creating if needed) the database at `path`; `:memory:` gives a throwaway database.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // WAL + NORMAL: commits don't fsync; a crash can lose the last commits but never corrupts.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -65536")  // 64 MiB page cache per connection
        }
        if path == ":memory:" {
            writer = try DatabaseQueue(configuration: configuration)
        } else {
            configuration.maximumReaderCount = 8
            writer = try DatabasePool(path: path, configuration: configuration)
        }
        try Schema.migrator.migrate(writer)
    }

    /// True when no account exists yet (a first start).
    public func isEmpty() throws -> Bool {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM accounts") == 0 }
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    /// ISO 8601 with milliseconds, UTC, as the API writes timestamps.
    static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
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
