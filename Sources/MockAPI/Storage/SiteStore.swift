import ConnectorAPI
import Foundation

/// Sites of an account; deleting one cascades to its LANs, WANs, ACLs and app configs (foreign keys).
enum SiteStore {
    static func require(db: SQLSession, account: String, id: String) throws -> Site {
        guard let doc = try String.fetchOne(db, sql: "SELECT doc FROM sites WHERE account_id = ? AND id = ?", arguments: [account, id]) else {
            throw APIError.notFound("site", id)
        }
        return try DocumentTable.decoder.decode(Site.self, from: Data(doc.utf8))
    }

    /// All sites of the account; with `connector`, those whose primary or secondary connector it is.
    static func list(db: SQLSession, account: String, connector: String?) throws -> [Site] {
        let docs: [String]
        if let connector {
            docs = try String.fetchAll(
                db, sql: "SELECT doc FROM sites WHERE account_id = ? AND (connector_id = ? OR secondary_connector_id = ?) ORDER BY seq",
                arguments: [account, connector, connector]
            )
        } else {
            docs = try String.fetchAll(db, sql: "SELECT doc FROM sites WHERE account_id = ? ORDER BY seq", arguments: [account])
        }
        return try docs.map { try DocumentTable.decoder.decode(Site.self, from: Data($0.utf8)) }
    }

    static func insert(db: SQLSession, account: String, site: Site) throws {
        try db.execute(
            sql: "INSERT INTO sites (id, account_id, name, connector_id, secondary_connector_id, doc) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [site.id, account, site.name, site.connectorId, site.secondaryConnectorId, try encode(site)]
        )
    }

    static func update(db: SQLSession, site: Site) throws {
        try db.execute(
            sql: "UPDATE sites SET name = ?, connector_id = ?, secondary_connector_id = ?, doc = ? WHERE id = ?",
            arguments: [site.name, site.connectorId, site.secondaryConnectorId, try encode(site), site.id]
        )
    }

    static func delete(db: SQLSession, id: String) throws {
        try db.execute(sql: "DELETE FROM sites WHERE id = ?", arguments: [id])
    }

    /// Conflicts a site would have with others in its account: same name, or a connector already in use.
    static func checkConflicts(db: SQLSession, account: String, site: Site) throws {
        if try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM sites WHERE account_id = ? AND name = ? AND id IS DISTINCT FROM ?)",
            arguments: [account, site.name, site.id]
        ) == true {
            throw APIError.conflict("name: a site named '\(site.name ?? "")' already exists in this account")
        }
        for (connector, field) in [(site.connectorId, "connector_id"), (site.secondaryConnectorId, "secondary_connector_id")] {
            guard let connector else { continue }
            guard try ConnectorStore.exists(db: db, account: account, id: connector) else {
                throw APIError.invalid(field, "no connector '\(connector)' in this account")
            }
            if let other = try String.fetchOne(
                db, sql: "SELECT id FROM sites WHERE account_id = ? AND (connector_id = ? OR secondary_connector_id = ?) AND id IS DISTINCT FROM ?",
                arguments: [account, connector, connector, site.id]
            ) {
                throw APIError.conflict("\(field): connector '\(connector)' already serves site '\(other)'")
            }
        }
    }

    static func encode(_ site: Site) throws -> String {
        String(decoding: try DocumentTable.encoder.encode(site), as: UTF8.self)
    }
}
