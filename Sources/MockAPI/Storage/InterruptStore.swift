import ConnectorAPI
import Foundation

/// The interrupts of a connector (by its `seq`, so another account's connector is never reached).
enum InterruptStore {
    static func list(db: SQLSession, seq: Int64) throws -> [ConnectorInterrupt] {
        try SQLRow.fetchAll(db, sql: "SELECT doc, triggered_at FROM interrupts WHERE connector_seq = ? ORDER BY seq", arguments: [seq]).map(interrupt)
    }

    /// The pending interrupt, if any, and its row.
    static func pending(db: SQLSession, seq: Int64) throws -> (row: Int64, interrupt: ConnectorInterrupt)? {
        try SQLRow.fetchOne(
            db, sql: "SELECT seq, doc, triggered_at FROM interrupts WHERE connector_seq = ? AND triggered_at IS NULL ORDER BY seq LIMIT 1",
            arguments: [seq]
        ).map { ($0["seq"], try interrupt($0)) }
    }

    /// The latest interrupt submitted at `submittedAt`, and its row.
    static func submitted(at submittedAt: String, db: SQLSession, seq: Int64) throws -> (row: Int64, interrupt: ConnectorInterrupt)? {
        try SQLRow.fetchOne(
            db, sql: "SELECT seq, doc, triggered_at FROM interrupts WHERE connector_seq = ? AND submitted_at = ? ORDER BY seq DESC LIMIT 1",
            arguments: [seq, submittedAt]
        ).map { ($0["seq"], try interrupt($0)) }
    }

    static func insert(_ interrupt: ConnectorInterrupt, db: SQLSession, seq: Int64) throws {
        try db.execute(
            sql: "INSERT INTO interrupts (connector_seq, submitted_at, doc) VALUES (?, ?, ?)",
            arguments: [seq, interrupt.submittedAt, try document(interrupt)]
        )
    }

    static func markTriggered(row: Int64, at time: String, db: SQLSession) throws {
        try db.execute(sql: "UPDATE interrupts SET triggered_at = ? WHERE seq = ?", arguments: [time, row])
    }

    /// The stored action and submission time, with the triggered time from its column.
    private static func interrupt(_ row: SQLRow) throws -> ConnectorInterrupt {
        var interrupt = try DocumentTable.decoder.decode(ConnectorInterrupt.self, from: Data((row["doc"] as String).utf8))
        interrupt.triggeredAt = row["triggered_at"]
        return interrupt
    }

    private static func document(_ interrupt: ConnectorInterrupt) throws -> String {
        String(decoding: try DocumentTable.encoder.encode(interrupt), as: UTF8.self)
    }
}
