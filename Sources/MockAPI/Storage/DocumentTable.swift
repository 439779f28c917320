import Foundation

/// A table of JSON documents owned by a site (LANs, WANs, ACLs, app configs), always filtered by account.
struct DocumentTable: Sendable {
    let name: String

    static let lans = DocumentTable(name: "lans")
    static let wans = DocumentTable(name: "wans")
    static let acls = DocumentTable(name: "acls")
    static let appConfigs = DocumentTable(name: "app_configs")

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
    /// Telemetry bodies are stored as encoded, unsorted: sorting 173 keys per snapshot costs more than it helps.
    static let telemetryEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()
    static let decoder = JSONDecoder()

    func list<T: Decodable>(_ type: T.Type, db: SQLSession, account: String, site: String) throws -> [T] {
        try String.fetchAll(
            db, sql: "SELECT doc FROM \(name) WHERE account_id = ? AND site_id = ? ORDER BY seq", arguments: [account, site]
        ).map { try Self.decoder.decode(T.self, from: Data($0.utf8)) }
    }

    /// Every row of the account, across its sites (tunnel addresses must not overlap any site's LAN).
    func list<T: Decodable>(_ type: T.Type, db: SQLSession, account: String) throws -> [T] {
        try String.fetchAll(db, sql: "SELECT doc FROM \(name) WHERE account_id = ? ORDER BY seq", arguments: [account])
            .map { try Self.decoder.decode(T.self, from: Data($0.utf8)) }
    }

    func fetch<T: Decodable>(_ type: T.Type, db: SQLSession, account: String, site: String, id: String) throws -> T? {
        try String.fetchOne(
            db, sql: "SELECT doc FROM \(name) WHERE account_id = ? AND site_id = ? AND id = ?", arguments: [account, site, id]
        ).map { try Self.decoder.decode(T.self, from: Data($0.utf8)) }
    }

    func insert(_ doc: some Encodable, db: SQLSession, account: String, site: String, id: String, name docName: String?) throws {
        let text = String(decoding: try Self.encoder.encode(doc), as: UTF8.self)
        try db.execute(
            sql: "INSERT INTO \(name) (id, account_id, site_id, name, doc) VALUES (?, ?, ?, ?, ?)",
            arguments: [id, account, site, docName, text]
        )
    }

    func update(_ doc: some Encodable, db: SQLSession, id: String, name docName: String?) throws {
        let text = String(decoding: try Self.encoder.encode(doc), as: UTF8.self)
        try db.execute(sql: "UPDATE \(name) SET name = ?, doc = ? WHERE id = ?", arguments: [docName, text, id])
    }

    func delete(db: SQLSession, id: String) throws {
        try db.execute(sql: "DELETE FROM \(name) WHERE id = ?", arguments: [id])
    }

    /// True if another row of the same site already uses `docName`.
    func nameTaken(db: SQLSession, site: String, name docName: String?, excluding id: String?) throws -> Bool {
        guard let docName else { return false }
        return try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM \(name) WHERE site_id = ? AND name = ? AND id IS DISTINCT FROM ?)",
            arguments: [site, docName, id]
        ) ?? false
    }
}
