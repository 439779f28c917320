import ConnectorAPI
import Foundation
import GRDB

/// Connectors of an account. The document holds the settable fields; heartbeat fields live in their own
/// columns (the device's check-ins update them without rewriting the document); license keys only as SHA-256.
enum ConnectorStore {
    static func exists(db: Database, account: String, id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM connectors WHERE account_id = ? AND id = ?)", arguments: [account, id]) ?? false
    }

    /// The compact key of a connector for telemetry rows, or 404.
    static func requireSeq(db: Database, account: String, id: String) throws -> Int64 {
        let statement = try db.cachedStatement(sql: "SELECT seq FROM connectors WHERE account_id = ? AND id = ?")
        guard let seq = try Int64.fetchOne(statement, arguments: [account, id]) else {
            throw APIError.notFound("connector", id)
        }
        return seq
    }

    static func require(db: Database, account: String, id: String) throws -> Connector {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT doc, last_heartbeat, last_seen_version FROM connectors WHERE account_id = ? AND id = ?",
            arguments: [account, id]
        ) else {
            throw APIError.notFound("connector", id)
        }
        return try connector(from: row)
    }

    static func list(db: Database, account: String) throws -> [Connector] {
        try Row.fetchAll(
            db, sql: "SELECT doc, last_heartbeat, last_seen_version FROM connectors WHERE account_id = ? ORDER BY seq",
            arguments: [account]
        ).map(connector(from:))
    }

    private static func connector(from row: Row) throws -> Connector {
        var connector = try DocumentTable.decoder.decode(Connector.self, from: Data((row["doc"] as String).utf8))
        connector.lastHeartbeat = row["last_heartbeat"]
        connector.lastSeenVersion = row["last_seen_version"]
        return connector
    }

    static func insert(db: Database, account: String, connector: Connector, licenseKey: String?) throws {
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

    static func update(db: Database, connector: Connector, newLicenseKey: String?) throws {
        try db.execute(sql: "UPDATE connectors SET doc = ? WHERE id = ?", arguments: [try encode(connector), connector.id])
        if let newLicenseKey {
            try db.execute(
                sql: "UPDATE connectors SET license_sha256 = ? WHERE id = ?", arguments: [MockStore.sha256(newLicenseKey), connector.id]
            )
        }
    }

    /// Removes the connector and its telemetry; refused while a site names it.
    static func delete(db: Database, account: String, id: String) throws {
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
    static func heartbeat(db: Database, seq: Int64, at date: Date, version: String?) throws {
        try db.cachedStatement(sql: "UPDATE connectors SET last_heartbeat = ?, last_seen_version = coalesce(?, last_seen_version) WHERE seq = ?")
            .execute(arguments: [MockStore.timestamp(date), version, seq])
    }

    private static func encode(_ connector: Connector) throws -> String {
        var stored = connector
        stored.lastHeartbeat = nil
        stored.lastSeenVersion = nil
        stored.licenseKey = nil  // never stored in clear
        return String(decoding: try DocumentTable.encoder.encode(stored), as: UTF8.self)
    }
}
