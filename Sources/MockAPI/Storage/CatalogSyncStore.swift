import ConnectorAPI
import Foundation

/// Catalog syncs of an account: one JSON document per row, plus the fingerprint of what the last run saw.
enum CatalogSyncStore {
    static func list(db: SQLSession, account: String) throws -> [CatalogSync] {
        try String.fetchAll(db, sql: "SELECT doc FROM catalog_syncs WHERE account_id = ? ORDER BY seq", arguments: [account])
            .map(decode)
    }

    static func require(db: SQLSession, account: String, id: String) throws -> CatalogSync {
        guard let doc = try String.fetchOne(db, sql: "SELECT doc FROM catalog_syncs WHERE account_id = ? AND id = ?", arguments: [account, id]) else {
            throw APIError.notFound("catalog sync", id)
        }
        return try decode(doc)
    }

    /// AUTO syncs of the account with the fingerprint of their last run.
    static func autoSyncs(db: SQLSession, account: String) throws -> [(sync: CatalogSync, fingerprint: String?)] {
        try SQLRow.fetchAll(
            db, sql: "SELECT doc, fingerprint FROM catalog_syncs WHERE account_id = ? AND update_mode = 'AUTO' ORDER BY seq",
            arguments: [account]
        ).map { (try decode($0["doc"]), $0["fingerprint"]) }
    }

    /// Accounts with at least one AUTO sync (checked at startup, when the --catalog file may have changed).
    static func accountsWithAutoSyncs(db: SQLSession) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT account_id FROM catalog_syncs WHERE update_mode = 'AUTO'")
    }

    static func insert(db: SQLSession, account: String, sync: CatalogSync) throws {
        try db.execute(
            sql: "INSERT INTO catalog_syncs (id, account_id, name, update_mode, doc) VALUES (?, ?, ?, ?, ?)",
            arguments: [sync.id, account, sync.name, sync.updateMode.rawValue, try encode(sync)]
        )
    }

    static func update(db: SQLSession, sync: CatalogSync, fingerprint: String? = nil) throws {
        if let fingerprint {
            try db.execute(
                sql: "UPDATE catalog_syncs SET name = ?, update_mode = ?, doc = ?, fingerprint = ? WHERE id = ?",
                arguments: [sync.name, sync.updateMode.rawValue, try encode(sync), fingerprint, sync.id]
            )
        } else {
            try db.execute(
                sql: "UPDATE catalog_syncs SET name = ?, update_mode = ?, doc = ? WHERE id = ?",
                arguments: [sync.name, sync.updateMode.rawValue, try encode(sync), sync.id]
            )
        }
    }

    static func delete(db: SQLSession, id: String) throws {
        try db.execute(sql: "DELETE FROM catalog_syncs WHERE id = ?", arguments: [id])
    }

    static func nameTaken(db: SQLSession, account: String, name: String, excluding id: String?) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM catalog_syncs WHERE account_id = ? AND name = ? AND id IS DISTINCT FROM ?)",
            arguments: [account, name, id]
        ) ?? false
    }

    private static func decode(_ doc: String) throws -> CatalogSync {
        try DocumentTable.decoder.decode(CatalogSync.self, from: Data(doc.utf8))
    }

    private static func encode(_ sync: CatalogSync) throws -> String {
        String(decoding: try DocumentTable.encoder.encode(sync), as: UTF8.self)
    }
}
