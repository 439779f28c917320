import ConnectorAPI
import Foundation

/// Snapshots and events of connectors, keyed by (connector, t[, n]); bodies are stored as JSON text and
/// only read back by the endpoints that return whole objects.
enum TelemetryStore {
    struct SnapshotRow: Sendable {
        let t: Double
        let body: String
    }

    struct EventRow: Sendable {
        let t: Double
        let n: Int64
        let k: String
        let body: String
    }

    /// Inserts the snapshots not stored yet (idempotent on `t`); returns how many were new.
    static func insertSnapshots(db: SQLSession, seq: Int64, rows: [SnapshotRow], receivedAt a: Double) throws -> Int {
        try insert(
            db: db, into: "snapshots (connector_seq, t, a, body)", columns: 4, rows: rows,
            values: { row in [.integer(seq), .real(row.t), .real(a), .text(row.body)] }
        )
    }

    /// Inserts the events not stored yet (idempotent on `(t, n)`); returns how many were new.
    static func insertEvents(db: SQLSession, seq: Int64, rows: [EventRow], receivedAt a: Double) throws -> Int {
        try insert(
            db: db, into: "events (connector_seq, t, n, a, k, body)", columns: 6, rows: rows,
            values: { row in [.integer(seq), .real(row.t), .integer(row.n), .real(a), .text(row.k), .text(row.body)] }
        )
    }

    /// `INSERT ... ON CONFLICT DO NOTHING` of every row; returns how many were new. SQLite: row by row through its
    /// statement cache (no round trip, one prepared statement whatever the batch size). PostgreSQL: up to 1,000
    /// rows per statement, since each statement is a round trip to the server (a batch of 100 events would be 100).
    private static func insert<Row>(
        db: SQLSession, into table: String, columns: Int, rows: [Row], values: (Row) -> [SQLValue]
    ) throws -> Int {
        let placeholders = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        let perStatement = db.dialect == .postgres ? 1000 : 1
        var stored = 0
        var start = 0
        while start < rows.count {
            let part = rows[start..<min(rows.count, start + perStatement)]
            try db.execute(
                sql: "INSERT INTO \(table) VALUES \(Array(repeating: placeholders, count: part.count).joined(separator: ", ")) ON CONFLICT DO NOTHING",
                arguments: SQLArguments(part.flatMap(values))
            )
            stored += db.changesCount
            start += part.count
        }
        return stored
    }

    /// Up to `limit` snapshot times in [from, to] after `after`, oldest first.
    static func listSnapshots(db: SQLSession, seq: Int64, from: Double, to: Double, after: Double?, limit: Int) throws -> [SnapshotMetadata] {
        try SQLRow.fetchAll(
            db,
            sql: """
                SELECT t, a FROM snapshots
                WHERE connector_seq = ? AND t >= ? AND t <= ? AND t > ?
                ORDER BY t LIMIT ?
                """,
            arguments: [seq, from, to, after ?? -Double.infinity, limit]
        ).map { row in SnapshotMetadata(a: row[1], t: row[0]) }
    }

    /// Up to `limit` events in [from, to] after `(afterT, afterN)`, optionally of kind `k`, oldest first.
    static func listEvents(
        db: SQLSession, seq: Int64, from: Double, to: Double, after: (t: Double, n: Int64)?, kind: String?, limit: Int
    ) throws -> [EventMetadata] {
        let after = after ?? (-Double.infinity, -1)
        // CAST: PostgreSQL cannot infer the type of a parameter that is only tested for NULL.
        return try SQLRow.fetchAll(
            db,
            sql: """
                SELECT t, n, a, k FROM events
                WHERE connector_seq = ? AND t >= ? AND t <= ? AND (t > ? OR (t = ? AND n > ?)) AND (CAST(? AS TEXT) IS NULL OR k = ?)
                ORDER BY t, n LIMIT ?
                """,
            arguments: [seq, from, to, after.t, after.t, after.n, kind, kind, limit]
        ).map { row in EventMetadata(a: row[2], k: row[3], n: UInt64(max(0, row[1] as Int64)), t: row[0]) }
    }

    static func snapshot(db: SQLSession, seq: Int64, t: Double) throws -> String? {
        try String.fetchOne(db, sql: "SELECT body FROM snapshots WHERE connector_seq = ? AND t = ?", arguments: [seq, t])
    }

    static func event(db: SQLSession, seq: Int64, t: Double, n: Int64) throws -> String? {
        try String.fetchOne(db, sql: "SELECT body FROM events WHERE connector_seq = ? AND t = ? AND n = ?", arguments: [seq, t, n])
    }

    /// The newest `limit` snapshot bodies, newest first.
    static func latestSnapshots(db: SQLSession, seq: Int64, limit: Int) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT body FROM snapshots WHERE connector_seq = ? ORDER BY t DESC LIMIT ?", arguments: [seq, limit])
    }

    /// The newest `limit` event bodies, newest first.
    static func latestEvents(db: SQLSession, seq: Int64, limit: Int) throws -> [String] {
        try String.fetchAll(
            db, sql: "SELECT body FROM events WHERE connector_seq = ? ORDER BY t DESC, n DESC LIMIT ?", arguments: [seq, limit]
        )
    }
}

/// Opaque page cursors: the exact bit pattern of the last item's key, so no float rounding can skip or repeat.
enum TelemetryCursor {
    static func snapshot(after t: Double) -> String { "s" + String(t.bitPattern, radix: 16) }

    static func event(after t: Double, n: UInt64) -> String { "e" + String(t.bitPattern, radix: 16) + "." + String(n, radix: 16) }

    static func parseSnapshot(_ text: String) -> Double? {
        guard text.hasPrefix("s"), let bits = UInt64(text.dropFirst(), radix: 16) else { return nil }
        let t = Double(bitPattern: bits)
        return t.isFinite ? t : nil
    }

    static func parseEvent(_ text: String) -> (t: Double, n: Int64)? {
        guard text.hasPrefix("e") else { return nil }
        let parts = text.dropFirst().split(separator: ".")
        guard parts.count == 2, let bits = UInt64(parts[0], radix: 16), let n = UInt64(parts[1], radix: 16), n <= UInt64(Int64.max) else {
            return nil
        }
        let t = Double(bitPattern: bits)
        return t.isFinite ? (t, Int64(n)) : nil
    }
}
