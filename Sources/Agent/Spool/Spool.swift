import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

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

/// Errors of the spool, with what to do about them: `code` for callers that act on the kind, `description` for people.
public struct SpoolError: Error, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The limit asked for is not a positive number of records.
        case invalidLimit
        /// The state directory cannot be created or made private (0700).
        case stateDirectory
        /// The database cannot be created or opened.
        case cannotOpen
        /// The database was corrupt; it was moved aside and a new spool started: the next call works.
        case movedAside
        /// The database is corrupt and could not be replaced (not moved aside, or the new one corrupt at once).
        case corrupt
    }

    public let code: Code
    public var description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}

/// What one append did: the record's stamp, how many old records it reclaimed (and whether reclaiming failed), and
/// the last stamp before it when the clock was so far behind that `t` started from the clock again.
public struct SpoolAppend: Sendable {
    public var stamp: Stamp
    public var reclaimed: Int
    public var reclaimError: (any Error)?
    /// Set when this stamp started from the clock again (`Stamp.restartsFromClock`): the stamp it did not follow.
    public var clockBehind: Stamp?
}

/// The durable, bounded, ordered store-and-forward spool: SQLite in WAL mode with `synchronous = FULL`
/// in the state directory (0700; files 0600). A record and its stamp are committed together before the
/// record is sent, and deleted only after the API acknowledged it. Past `limit` records the oldest are reclaimed.
///
/// It outlives a full disk and a corrupt file. Records acknowledged while nothing can be written (a full disk)
/// are held back from delivery and deleted at the next write that succeeds. A database that SQLite finds corrupt
/// (at open, where `quick_check` runs, or later) is moved aside as `spool.corrupt-<UTC time>.sqlite` (with its
/// `-wal`), kept for inspection, reported through `onMovedAside`, and a new spool is started in its place.
public final class Spool: Sendable {
    public static let fileName = "spool.sqlite"

    public let limit: Int
    public let path: String
    private let onMovedAside: @Sendable (_ movedTo: String, _ reason: String) -> Void
    private struct State {
        /// Replaced when a corrupt database is moved aside.
        var queue: DatabaseQueue
        /// Records up to this id were acknowledged but could not be deleted yet (no space): never sent again.
        var acknowledgedThrough: Int64?
    }

    private let state: Mutex<State>

    /// Opens (creating if needed) the spool in `directory`. A corrupt database there is moved aside and replaced.
    public init(
        directory: String, limit: Int,
        onMovedAside: @escaping @Sendable (_ movedTo: String, _ reason: String) -> Void = { _, _ in }
    ) throws {
        guard limit >= 1 else {
            throw SpoolError(.invalidLimit, "spool limit must be at least 1 record (got \(limit))")
        }
        self.limit = limit
        self.onMovedAside = onMovedAside
        try Self.prepareDirectory(directory)
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        self.path = path
        let queue: DatabaseQueue
        do {
            queue = try Self.open(path)
        } catch let failure as Corrupt {
            let aside = try Self.moveAside(path)
            queue = try Self.open(path)
            onMovedAside(aside, failure.reason)
        }
        state = Mutex(State(queue: queue))
    }

    /// Why a database cannot be used as it is.
    private struct Corrupt: Error {
        var reason: String
    }

    /// Opens and migrates the database at `path` and checks it (`quick_check`): a truncated file can open and
    /// migrate without an error. Throws `Corrupt` when the file is damaged, `SpoolError` for anything else.
    private static func open(_ path: String) throws -> DatabaseQueue {
        // SQLite gives the -wal and -shm files the mode of the database file: create it 0600 first.
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SpoolError(.cannotOpen, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        fchmod(fd, 0o600)
        close(fd)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            // FULL: a commit is on disk before append() returns, so a stamp is never handed out twice.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        var opened: DatabaseQueue?
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            opened = queue
            try SpoolSchema.migrator.migrate(queue)
            let check = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
            guard check == ["ok"] else {
                try? queue.close()
                throw Corrupt(reason: "quick_check: \(check.prefix(3).joined(separator: "; "))")
            }
            return queue
        } catch let error as DatabaseError where isCorruption(error) {
            try? opened?.close()
            throw Corrupt(reason: "\(error)")
        } catch let error as Corrupt {
            throw error
        } catch {
            try? opened?.close()
            throw SpoolError(.cannotOpen, "cannot open the spool \(path): \(error)")
        }
    }

    private static func isCorruption(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB
    }

    /// Renames the database (and its -wal and -shm) to `spool.corrupt-<UTC time>.sqlite`; the new path.
    private static func moveAside(_ path: String) throws -> String {
        let directory = (path as NSString).deletingLastPathComponent
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let time = formatter.string(from: Date())
        var aside = (directory as NSString).appendingPathComponent("spool.corrupt-\(time).sqlite")
        var attempt = 1
        while FileManager.default.fileExists(atPath: aside) {
            attempt += 1
            aside = (directory as NSString).appendingPathComponent("spool.corrupt-\(time)-\(attempt).sqlite")
        }
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            rename(path + suffix, aside + suffix)
        }
        guard rename(path, aside) == 0 else {
            throw SpoolError(
                .corrupt, "the spool \(path) is corrupt and cannot be moved aside: \(String(cString: strerror(errno)))")
        }
        return aside
    }

    /// Runs `work` on the database. When SQLite reports it corrupt, the database is closed, moved aside and replaced
    /// by a new one before the error is thrown, so the next call works.
    private func withState<T: Sendable>(_ work: (inout State) throws -> T) throws -> T {
        try state.withLock { state in
            do {
                return try work(&state)
            } catch let error as DatabaseError where Self.isCorruption(error) {
                try? state.queue.close()
                let aside = try Self.moveAside(path)
                do {
                    state.queue = try Self.open(path)
                } catch let failure as Corrupt {
                    throw SpoolError(.corrupt, "a new spool at \(path) is corrupt at once: \(failure.reason)")
                }
                state.acknowledgedThrough = nil
                onMovedAside(aside, "\(error)")
                throw SpoolError(
                    .movedAside, "the spool was corrupt (\(error)); moved aside to \(aside) and started anew")
            }
        }
    }

    /// Creates `directory` 0700, or tightens an existing one to 0700.
    static func prepareDirectory(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw SpoolError(.stateDirectory, "state dir \(directory) exists and is not a directory")
            }
        } else {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw SpoolError(.stateDirectory, "cannot create state dir \(directory): \(error.localizedDescription)")
            }
        }
        guard chmod(directory, 0o700) == 0 else {
            throw SpoolError(
                .stateDirectory, "cannot set mode 0700 on state dir \(directory): \(String(cString: strerror(errno)))")
        }
    }

    /// Stamps and stores one record and reclaims the oldest past the limit, in one transaction (so the spool
    /// never holds more than `limit`); `body` encodes the record with its stamp. A failed reclaim does not fail
    /// the append: it is returned as `reclaimError`.
    public func append(_ kind: RecordKind, now: Double, body: (Stamp) throws -> Data) throws -> SpoolAppend {
        try withState { state in
            settleAcknowledged(&state)
            return try state.queue.write { db in
                let last = try Self.lastStamp(db)
                let stamp = try Self.insert(db, kind, after: last, now: now, body: body)
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
                return SpoolAppend(
                    stamp: stamp, reclaimed: reclaimed, reclaimError: reclaimError,
                    clockBehind: Stamp.restartsFromClock(after: last, now: now) ? last : nil
                )
            }
        }
    }

    private static func insert(
        _ db: Database, _ kind: RecordKind, after last: Stamp?, now: Double, body: (Stamp) throws -> Data
    ) throws -> Stamp {
        let stamp = kind == .snapshot ? Stamp.snapshot(after: last, now: now) : Stamp.event(after: last, now: now)
        let data = try body(stamp)
        try db.execute(
            sql: "INSERT INTO records (kind, t, n, body) VALUES (?, ?, ?, ?)",
            arguments: [kind.rawValue, stamp.t, Int64(bitPattern: stamp.n), data]
        )
        try db.execute(
            sql:
                "INSERT INTO sequence (id, t, n) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET t = excluded.t, n = excluded.n",
            arguments: [stamp.t, Int64(bitPattern: stamp.n)]
        )
        return stamp
    }

    /// Deletes the oldest records beyond the limit; returns how many went.
    public func reclaim() throws -> Int {
        try withState { state in try state.queue.write { db in try Self.reclaim(db, limit: limit) } }
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

    /// Up to `limit` records, oldest first (not those acknowledged and waiting for space to be deleted).
    public func oldest(_ limit: Int) throws -> [SpoolRecord] {
        try withState { state in
            let after = state.acknowledgedThrough ?? 0
            return try state.queue.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT id, kind, t, n, body FROM records WHERE id > ? ORDER BY id LIMIT ?",
                    arguments: [after, limit]
                ).map { row in
                    SpoolRecord(
                        id: row["id"], kind: RecordKind(rawValue: row["kind"]) ?? .event,
                        stamp: Stamp(t: row["t"], n: UInt64(bitPattern: row["n"])), body: row["body"]
                    )
                }
            }
        }
    }

    /// Removes acknowledged records; returns how many were still there (a record can be reclaimed while in flight).
    /// When the delete cannot be written (a full disk) and the records are the head of the spool, as delivery
    /// always takes them, they are only marked: not sent again, deleted at the next write that succeeds.
    @discardableResult
    public func remove(ids: [Int64]) throws -> Int {
        guard let highest = ids.max() else { return 0 }
        return try withState { state in
            let acknowledged = state.acknowledgedThrough
            do {
                let removed = try state.queue.write { db in
                    try db.execute(
                        sql: "DELETE FROM records WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
                        arguments: StatementArguments(ids))
                    let removed = db.changesCount
                    if let through = acknowledged {
                        try db.execute(sql: "DELETE FROM records WHERE id <= ?", arguments: [through])
                    }
                    return removed
                }
                state.acknowledgedThrough = nil
                return removed
            } catch let error as DatabaseError where !Self.isCorruption(error) {
                let others = try state.queue.read { db in
                    try Int.fetchOne(
                        db,
                        sql:
                            "SELECT count(*) FROM records WHERE id <= ? AND id > ? AND id NOT IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
                        arguments: StatementArguments([highest, acknowledged ?? 0] + ids)
                    ) ?? 0
                }
                guard others == 0 else { throw error }
                state.acknowledgedThrough = max(acknowledged ?? highest, highest)
                return ids.count
            }
        }
    }

    /// Deletes the records acknowledged while the disk was full, if there is room now. Called under the lock.
    private func settleAcknowledged(_ state: inout State) {
        guard let through = state.acknowledgedThrough else { return }
        do {
            try state.queue.write { db in try db.execute(sql: "DELETE FROM records WHERE id <= ?", arguments: [through])
            }
            state.acknowledgedThrough = nil
        } catch {
            // Still no room: they stay marked, and the append after this will likely fail the same way.
        }
    }

    /// Records waiting (not counting those acknowledged and waiting for space to be deleted).
    public func count() throws -> Int {
        try withState { state in
            let after = state.acknowledgedThrough ?? 0
            return try state.queue.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM records WHERE id > ?", arguments: [after]) ?? 0
            }
        }
    }

    /// The last stamp ever handed out (nil for a new spool).
    public func lastStamp() throws -> Stamp? {
        try withState { state in try state.queue.read { db in try Self.lastStamp(db) } }
    }

    private static func lastStamp(_ db: Database) throws -> Stamp? {
        try Row.fetchOne(db, sql: "SELECT t, n FROM sequence WHERE id = 1").map {
            Stamp(t: $0["t"], n: UInt64(bitPattern: $0["n"]))
        }
    }
}
