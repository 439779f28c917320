/// Applies `Schema.migrations` to a PostgreSQL database, each once, recorded in `schema_migrations`. Replicas may
/// start together: a transaction-scoped advisory lock lets one migrate while the others wait, then find nothing
/// left to do. READ COMMITTED (not the store's SERIALIZABLE), so each statement after the lock sees what the
/// replica before it committed.
enum PostgresMigrator {
    /// An arbitrary constant naming mock-api's migration lock among the database's advisory locks.
    static let lockKey: Int64 = 0x7663_6d6f_636b

    static func migrate(_ pool: PostgresPool) throws {
        try pool.transaction(mode: .migrate) { db in
            try db.execute(sql: "SELECT pg_advisory_xact_lock(?)", arguments: [lockKey])
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            let applied = Set(try String.fetchAll(db, sql: "SELECT name FROM schema_migrations"))
            for migration in Schema.migrations where !applied.contains(migration.name) {
                try db.runScript(SQLDialect.postgres.ddl(migration.sql))
                try db.execute(
                    sql: "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", arguments: [migration.name, MockStore.timestamp()]
                )
            }
        }
    }
}
