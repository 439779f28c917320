import ConnectorAPI
import Foundation

/// Connectors of an account. The document holds the settable fields; heartbeat fields live in their own
/// columns (the device's check-ins update them without rewriting the document); license keys only as SHA-256.
enum ConnectorStore {
    static func exists(db: SQLSession, account: String, id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM connectors WHERE account_id = ? AND id = ?)", arguments: [account, id]) ?? false
    }

    /// The compact key of a connector for telemetry rows, or 404.
    static func requireSeq(db: SQLSession, account: String, id: String) throws -> Int64 {
        guard let seq = try Int64.fetchOne(db, sql: "SELECT seq FROM connectors WHERE account_id = ? AND id = ?", arguments: [account, id]) else {
            throw APIError.notFound("connector", id)
        }
        return seq
    }

    static func require(db: SQLSession, account: String, id: String) throws -> Connector {
        guard let row = try SQLRow.fetchOne(db, sql: "\(selectServed) WHERE c.account_id = ? AND c.id = ?", arguments: [account, id]) else {
            throw APIError.notFound("connector", id)
        }
        return try connector(from: row)
    }

    static func list(db: SQLSession, account: String) throws -> [Connector] {
        try SQLRow.fetchAll(db, sql: "\(selectServed) WHERE c.account_id = ? ORDER BY c.seq", arguments: [account]).map(connector(from:))
    }

    /// The document plus what is derived, not stored: heartbeat columns, `device.type` (LICENSED once a license
    /// key was provisioned), and `site_id`/`primary` from the site that names the connector (the sites own
    /// that link: connector_id is the primary, secondary_connector_id the other).
    private static let selectServed = """
        SELECT c.doc, c.last_heartbeat, c.last_seen_version, c.license_sha256 IS NOT NULL AS licensed,
            (SELECT s.id FROM sites s WHERE s.account_id = c.account_id AND s.connector_id = c.id ORDER BY s.seq LIMIT 1) AS primary_site,
            (SELECT s.id FROM sites s WHERE s.account_id = c.account_id AND s.secondary_connector_id = c.id ORDER BY s.seq LIMIT 1) AS secondary_site
        FROM connectors c
        """

    private static func connector(from row: SQLRow) throws -> Connector {
        var connector = try DocumentTable.decoder.decode(Connector.self, from: Data((row["doc"] as String).utf8))
        connector.lastHeartbeat = row["last_heartbeat"]
        connector.lastSeenVersion = row["last_seen_version"]
        connector.device?.type = deviceType(licensed: row["licensed"])
        let secondary: String? = row["secondary_site"]
        connector.siteId = row["primary_site"] ?? secondary
        connector.primary = secondary == nil || connector.siteId != secondary
        return connector
    }

    static func deviceType(licensed: Bool) -> String { licensed ? "LICENSED" : "MANAGED" }

    static func insert(db: SQLSession, account: String, connector: Connector, licenseKey: String?) throws {
        let device = connector.device
        if try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM connectors WHERE account_id = ? AND device_id = ?)", arguments: [account, device?.id]
        ) == true {
            throw APIError.conflict("device.id: a connector for device '\(device?.id ?? "")' already exists in this account")
        }
        if let serial = device?.serialNumber, try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM connectors WHERE account_id = ? AND serial_number = ?)", arguments: [account, serial]
        ) == true {
            throw APIError.conflict("device.serial_number: a connector with serial number '\(serial)' already exists in this account")
        }
        try db.execute(
            sql: """
                INSERT INTO connectors (id, account_id, device_id, serial_number, license_sha256, doc)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [connector.id, account, device?.id, device?.serialNumber, licenseKey.map(MockStore.sha256), try encode(connector)]
        )
    }

    static func update(db: SQLSession, connector: Connector, newLicenseKey: String?) throws {
        try db.execute(sql: "UPDATE connectors SET doc = ? WHERE id = ?", arguments: [try encode(connector), connector.id])
        if let newLicenseKey {
            try db.execute(
                sql: "UPDATE connectors SET license_sha256 = ? WHERE id = ?", arguments: [MockStore.sha256(newLicenseKey), connector.id]
            )
        }
    }

    /// Removes the connector and its telemetry; refused while a site names it.
    static func delete(db: SQLSession, account: String, id: String) throws {
        if let site = try String.fetchOne(
            db, sql: "SELECT id FROM sites WHERE account_id = ? AND (connector_id = ? OR secondary_connector_id = ?)",
            arguments: [account, id, id]
        ) {
            throw APIError.conflict("connector '\(id)' serves site '\(site)'; remove it from the site first")
        }
        let seq = try requireSeq(db: db, account: account, id: id)
        try db.execute(sql: "DELETE FROM snapshots WHERE connector_seq = ?", arguments: [seq])
        try db.execute(sql: "DELETE FROM events WHERE connector_seq = ?", arguments: [seq])
        try db.execute(sql: "DELETE FROM connectors WHERE seq = ?", arguments: [seq])
    }

    /// A device check-in: records when it was heard from and the version it runs.
    static func heartbeat(db: SQLSession, seq: Int64, at date: Date, version: String?) throws {
        try db.execute(
            sql: "UPDATE connectors SET last_heartbeat = ?, last_seen_version = coalesce(?, last_seen_version) WHERE seq = ?",
            arguments: [MockStore.timestamp(date), version, seq]
        )
    }

    private static func encode(_ connector: Connector) throws -> String {
        var stored = connector
        stored.lastHeartbeat = nil
        stored.lastSeenVersion = nil
        stored.licenseKey = nil  // never stored in clear
        // Derived when read (see selectServed), so a site's change is never stale here.
        stored.device?.type = nil
        stored.siteId = nil
        stored.primary = nil
        return String(decoding: try DocumentTable.encoder.encode(stored), as: UTF8.self)
    }
}
