import Foundation

/// The account-level Magic objects (GRE and IPsec tunnels, interconnects, static routes): one JSON document per
/// row of `magic_objects`, always filtered by account and kind.
enum MagicObjectStore {
    static func list<T: MagicObject>(_ type: T.Type, db: SQLSession, account: String) throws -> [T] {
        try String.fetchAll(
            db, sql: "SELECT doc FROM magic_objects WHERE account_id = ? AND kind = ? ORDER BY seq", arguments: [account, T.family.key]
        ).map { try DocumentTable.decoder.decode(T.self, from: Data($0.utf8)) }
    }

    static func fetch<T: MagicObject>(_ type: T.Type, db: SQLSession, account: String, id: String) throws -> T? {
        try String.fetchOne(
            db, sql: "SELECT doc FROM magic_objects WHERE account_id = ? AND kind = ? AND id = ?", arguments: [account, T.family.key, id]
        ).map { try DocumentTable.decoder.decode(T.self, from: Data($0.utf8)) }
    }

    /// 404 naming the family when the account has no such object.
    static func require<T: MagicObject>(_ type: T.Type, db: SQLSession, account: String, id: String) throws -> T {
        guard let value = try fetch(type, db: db, account: account, id: id) else { throw APIError.notFound(T.family.noun, id) }
        return value
    }

    /// Inserts or replaces the row of `value.id`.
    static func save<T: MagicObject>(_ value: T, db: SQLSession, account: String) throws {
        let text = String(decoding: try DocumentTable.encoder.encode(value), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO magic_objects (id, account_id, kind, name, doc) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, doc = excluded.doc
                """,
            arguments: [value.id, account, T.family.key, value.uniqueName, text]
        )
    }

    static func delete(db: SQLSession, id: String) throws {
        try db.execute(sql: "DELETE FROM magic_objects WHERE id = ?", arguments: [id])
    }

    /// The family and id of another tunnel of the account named `name`, if any.
    static func tunnelNamed(_ name: String, db: SQLSession, account: String, excluding id: String?) throws -> (kind: String, id: String)? {
        try SQLRow.fetchOne(
            db, sql: "SELECT kind, id FROM magic_objects WHERE account_id = ? AND name = ? AND id IS DISTINCT FROM ?", arguments: [account, name, id]
        ).map { ($0["kind"], $0["id"]) }
    }
}
