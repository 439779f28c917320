import ConnectorAPI
import Foundation

/// Zero Trust lists of an account (the destinations of catalog syncs) and their items.
enum GatewayListStore {
    /// The most entries a sync may write to one list; a refresh that matches more fails and keeps the old entries.
    static let maxItems = 1000

    static func name(forSync syncName: String) -> String { "Catalog Sync: \(syncName)" }

    static func description(forSync syncID: String) -> String {
        "Managed by Magic Cloud Networking catalog sync \(syncID): every refresh replaces the entries with the addresses its policy selects."
    }

    static func create(db: SQLSession, account: String, syncID: String, syncName: String) throws -> String {
        let id = UUID().uuidString.lowercased()
        let now = MockStore.timestamp()
        try db.execute(
            sql: """
                INSERT INTO gateway_lists (id, account_id, sync_id, name, description, type, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 'IP', ?, ?)
                """,
            arguments: [id, account, syncID, name(forSync: syncName), description(forSync: syncID), now, now]
        )
        return id
    }

    static func rename(db: SQLSession, id: String, syncName: String) throws {
        try db.execute(
            sql: "UPDATE gateway_lists SET name = ?, updated_at = ? WHERE id = ? AND name IS DISTINCT FROM ?",
            arguments: [name(forSync: syncName), MockStore.timestamp(), id, name(forSync: syncName)]
        )
    }

    /// Replaces the entries; values that stay keep their `created_at`.
    static func replaceItems(db: SQLSession, id: String, with items: [(value: String, description: String)]) throws {
        let now = MockStore.timestamp()
        let previous = Dictionary(
            try SQLRow.fetchAll(db, sql: "SELECT value, created_at FROM gateway_list_items WHERE list_id = ?", arguments: [id])
                .map { (row: SQLRow) -> (String, String) in (row["value"], row["created_at"]) },
            uniquingKeysWith: { first, _ in first }
        )
        try db.execute(sql: "DELETE FROM gateway_list_items WHERE list_id = ?", arguments: [id])
        for (n, item) in items.enumerated() {
            try db.execute(
                sql: "INSERT INTO gateway_list_items (list_id, n, value, description, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, n, item.value, item.description, previous[item.value] ?? now]
            )
        }
        try db.execute(sql: "UPDATE gateway_lists SET updated_at = ? WHERE id = ?", arguments: [now, id])
    }

    /// Deletes the list with its items, or (keep) detaches it from its sync so it lives on unmanaged.
    static func release(db: SQLSession, id: String, keep: Bool) throws {
        if keep {
            try db.execute(
                sql: "UPDATE gateway_lists SET sync_id = NULL, description = ?, updated_at = ? WHERE id = ?",
                arguments: ["Kept from a deleted Magic Cloud Networking catalog sync; no longer refreshed.", MockStore.timestamp(), id]
            )
        } else {
            try db.execute(sql: "DELETE FROM gateway_lists WHERE id = ?", arguments: [id])
        }
    }

    static func list(db: SQLSession, account: String) throws -> [GatewayList] {
        try SQLRow.fetchAll(db, sql: "\(selectLists) WHERE l.account_id = ? ORDER BY l.seq", arguments: [account]).map(decode)
    }

    static func require(db: SQLSession, account: String, id: String) throws -> GatewayList {
        guard let row = try SQLRow.fetchOne(db, sql: "\(selectLists) WHERE l.account_id = ? AND l.id = ?", arguments: [account, id]) else {
            throw APIError.notFound("Zero Trust list", id)
        }
        return decode(row)
    }

    /// One page of the list's items, in the order the policy produced them.
    static func items(db: SQLSession, id: String, page: Int, perPage: Int) throws -> [GatewayListItem] {
        try SQLRow.fetchAll(
            db, sql: "SELECT value, description, created_at FROM gateway_list_items WHERE list_id = ? ORDER BY n LIMIT ? OFFSET ?",
            arguments: [id, perPage, (page - 1) * perPage]
        ).map { GatewayListItem(value: $0["value"], description: $0["description"], createdAt: $0["created_at"]) }
    }

    private static let selectLists = """
        SELECT l.id, l.name, l.description, l.type, l.created_at, l.updated_at,
               (SELECT count(*) FROM gateway_list_items i WHERE i.list_id = l.id) AS count
        FROM gateway_lists l
        """

    private static func decode(_ row: SQLRow) -> GatewayList {
        GatewayList(
            id: row["id"], name: row["name"], description: row["description"], type: row["type"], count: row["count"],
            createdAt: row["created_at"], updatedAt: row["updated_at"]
        )
    }
}
