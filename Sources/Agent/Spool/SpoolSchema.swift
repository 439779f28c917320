import GRDB

/// The spool's whole schema: one list of named migrations. A released migration is never edited.
enum SpoolSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 records and sequence") { db in
            try db.execute(sql: """
                -- Records waiting for the API's acknowledgement, oldest first. AUTOINCREMENT: ids are never
                -- reused, so id order is recording order even after the table was emptied.
                CREATE TABLE records (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL CHECK (kind IN ('snapshot', 'event')),
                    t REAL NOT NULL,
                    n INTEGER NOT NULL,
                    body BLOB NOT NULL                 -- the JSON sent, exactly
                );
                -- The last stamp handed out, written in the same transaction as its record.
                CREATE TABLE sequence (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    t REAL NOT NULL,
                    n INTEGER NOT NULL
                );
                """)
        }
        return migrator
    }
}
