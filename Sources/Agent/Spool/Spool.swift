import Foundation
import GRDB

/// What a spooled record is; decides the endpoint it goes to.
public enum RecordKind: String, Sendable {
    case snapshot
    case event
}

/// One record waiting in the spool.
public struct SpoolRecord: Sendable, Equatable {
    public var id: Int64
    public var kind: RecordKind
    public var stamp: Stamp
    public var body: Data
}

/// Errors of the spool, with what to do about them.
public struct SpoolError: Error, CustomStringConvertible {
    public var description: String
}

/// The durable, bounded, ordered store-and-forward spool: SQLite in WAL mode with `synchronous = FULL`
/// in the state directory (0700; files 0600). A record and its stamp are committed together before the
/// record is sent, and deleted only after the API acknowledged it. Past `limit` records the oldest are reclaimed.
public final class Spool: Sendable {
    public static let fileName = "spool.sqlite"

    private let queue: DatabaseQueue
    public let limit: Int
    public let path: String

    /// Opens (creating if needed) the spool in `directory`.
    public init(directory: String, limit: Int) throws {
        guard limit >= 1 else { throw SpoolError(description: "spool limit must be at least 1 record (got \(limit))") }
        self.limit = limit
        try Self.prepareDirectory(directory)
        path = (directory as NSString).appendingPathComponent(Self.fileName)
        // SQLite gives the -wal and -shm files the mode of the database file: create it 0600 first.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SpoolError(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        fchmod(fd, 0o600)
        close(fd)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            // FULL: a commit is on disk before append() returns, so a stamp is never handed out twice.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try SpoolSchema.migrator.migrate(queue)
        } catch {
            throw SpoolError(description: "cannot open the spool \(path): \(error)")
        }
    }

    /// Creates `directory` 0700, or tightens an existing one to 0700.
    static func prepareDirectory(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw SpoolError(description: "state dir \(directory) exists and is not a directory") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw SpoolError(description: "cannot create state dir \(directory): \(error.localizedDescription)")
            }
        }
        guard chmod(directory, 0o700) == 0 else {
            throw SpoolError(description: "cannot set mode 0700 on state dir \(directory): \(String(cString: strerror(errno)))")
        }
    }

    /// Stamps and stores one record and reclaims the oldest past the limit, in one transaction (so the spool
    /// never holds more than `limit`); `body` encodes the record with its stamp. A failed reclaim does not fail
    /// the append: it is returned as `reclaimError`.
    public func append(_ kind: RecordKind, now: Double, body: (Stamp) throws -> Data) throws -> (stamp: Stamp, reclaimed: Int, reclaimError: (any Error)?) {
        try queue.write { db in
            let stamp = try Self.insert(db, kind, now: now, body: body)
            var reclaimed = 0
            var reclaimError: (any Error)?
            do {
                try db.inSavepoint {
                    reclaimed = try Self.reclaim(db, limit: limit)
                    return .commit
                }
            } catch {
                reclaimError = error
            }
            return (stamp, reclaimed, reclaimError)
        }
    }

    private static func insert(_ db: Database, _ kind: RecordKind, now: Double, body: (Stamp) throws -> Data) throws -> Stamp {
        do {
            let last = try Self.lastStamp(db)
            let stamp = kind == .snapshot ? Stamp.snapshot(after: last, now: now) : Stamp.event(after: last, now: now)
            let data = try body(stamp)
            try db.execute(
                sql: "INSERT INTO records (kind, t, n, body) VALUES (?, ?, ?, ?)",
                arguments: [kind.rawValue, stamp.t, Int64(bitPattern: stamp.n), data]
            )
            try db.execute(
                sql: "INSERT INTO sequence (id, t, n) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET t = excluded.t, n = excluded.n",
                arguments: [stamp.t, Int64(bitPattern: stamp.n)]
            )
            return stamp
        }
    }

    /// Deletes the oldest records beyond the limit; returns how many went.
    public func reclaim() throws -> Int {
        try queue.write { db in try Self.reclaim(db, limit: limit) }
    }

    private static func reclaim(_ db: Database, limit: Int) throws -> Int {
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM records") ?? 0
        guard count > limit else { return 0 }
        try db.execute(
            sql: "DELETE FROM records WHERE id IN (SELECT id FROM records ORDER BY id LIMIT ?)",
            arguments: [count - limit]
        )
        return db.changesCount
    }

    /// Up to `limit` records, oldest first.
    public func oldest(_ limit: Int) throws -> [SpoolRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, kind, t, n, body FROM records ORDER BY id LIMIT ?", arguments: [limit]).map { row in
                SpoolRecord(
                    id: row["id"], kind: RecordKind(rawValue: row["kind"]) ?? .event,
                    stamp: Stamp(t: row["t"], n: UInt64(bitPattern: row["n"])), body: row["body"]
                )
            }
        }
    }

    /// Removes acknowledged records; returns how many were still there (a record can be reclaimed while in flight).
    @discardableResult
    public func remove(ids: [Int64]) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try queue.write { db in
            try db.execute(sql: "DELETE FROM records WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ",")))", arguments: StatementArguments(ids))
            return db.changesCount
        }
    }

    /// Records waiting.
    public func count() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM records") ?? 0 }
    }

    /// The last stamp ever handed out (nil for a new spool).
    public func lastStamp() throws -> Stamp? {
        try queue.read { db in try Self.lastStamp(db) }
    }

    private static func lastStamp(_ db: Database) throws -> Stamp? {
        try Row.fetchOne(db, sql: "SELECT t, n FROM sequence WHERE id = 1").map { Stamp(t: $0["t"], n: UInt64(bitPattern: $0["n"])) }
    }
}
