import Foundation

/// Per-connector JSON documents an operator sets for the device: the upgrade offer and the cloudflared tunnel.
enum DirectiveStore {
    enum Table: String {
        case upgradeOffers = "upgrade_offers"
        case cloudflaredTunnels = "cloudflared_tunnels"
    }

    static func get<T: Decodable>(_ type: T.Type, db: SQLSession, table: Table, seq: Int64) throws -> T? {
        guard let doc = try String.fetchOne(db, sql: "SELECT doc FROM \(table.rawValue) WHERE connector_seq = ?", arguments: [seq]) else { return nil }
        return try DocumentTable.decoder.decode(T.self, from: Data(doc.utf8))
    }

    static func put<T: Encodable>(_ value: T, db: SQLSession, table: Table, seq: Int64) throws {
        let doc = String(decoding: try DocumentTable.encoder.encode(value), as: UTF8.self)
        try db.execute(
            sql: "INSERT INTO \(table.rawValue) (connector_seq, doc) VALUES (?, ?) ON CONFLICT(connector_seq) DO UPDATE SET doc = excluded.doc",
            arguments: [seq, doc]
        )
    }

    /// Whether there was one to delete.
    static func delete(db: SQLSession, table: Table, seq: Int64) throws -> Bool {
        try db.execute(sql: "DELETE FROM \(table.rawValue) WHERE connector_seq = ?", arguments: [seq])
        return db.changesCount > 0
    }

    static func putBundle(db: SQLSession, seq: Int64, bytes: Data, sha256: String) throws {
        try db.execute(
            sql: "INSERT INTO upgrade_bundles (connector_seq, sha256, bytes) VALUES (?, ?, ?) "
                + "ON CONFLICT(connector_seq) DO UPDATE SET sha256 = excluded.sha256, bytes = excluded.bytes",
            arguments: [seq, sha256, bytes]
        )
    }

    static func bundle(db: SQLSession, seq: Int64) throws -> Data? {
        try Data.fetchOne(db, sql: "SELECT bytes FROM upgrade_bundles WHERE connector_seq = ?", arguments: [seq])
    }
}
