import GRDB

/// The whole storage schema: one list of named migrations for both engines, written in SQLite's DDL and
/// translated for PostgreSQL by `SQLDialect.ddl` (the few type names that differ). A released migration is never
/// edited; change the schema by appending a new one.
enum Schema {
    struct Migration: Sendable {
        let name: String
        let sql: String
    }

    /// SQLite's migrations through GRDB's migrator (its bookkeeping table is what existing files already have).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.name) { db in try db.execute(sql: migration.sql) }
        }
        return migrator
    }

    static let migrations: [Migration] = [
        Migration(name: "v1 accounts and credentials", sql: """
                CREATE TABLE accounts (
                    id TEXT PRIMARY KEY NOT NULL,
                    created_at REAL NOT NULL
                );
                -- API tokens and global API keys; only the SHA-256 of the secret is stored.
                CREATE TABLE credentials (
                    secret_sha256 TEXT PRIMARY KEY NOT NULL,
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL CHECK (kind IN ('token', 'key')),
                    email TEXT,                                        -- for kind = 'key'
                    scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
                    name TEXT NOT NULL
                );
                """),
        Migration(name: "v1 connectors", sql: """
                CREATE TABLE connectors (
                    seq INTEGER PRIMARY KEY,                           -- compact key for telemetry rows
                    id TEXT NOT NULL UNIQUE,
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    device_id TEXT NOT NULL,
                    serial_number TEXT,
                    license_sha256 TEXT,
                    last_heartbeat TEXT,
                    last_seen_version TEXT,
                    doc TEXT NOT NULL                                  -- the Connector JSON, without heartbeat fields
                );
                CREATE UNIQUE INDEX connectors_by_device ON connectors(account_id, device_id);
                CREATE UNIQUE INDEX connectors_by_serial ON connectors(account_id, serial_number);
                """),
        Migration(name: "v1 sites and their children", sql: """
                CREATE TABLE sites (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    connector_id TEXT,
                    secondary_connector_id TEXT,
                    doc TEXT NOT NULL
                );
                CREATE UNIQUE INDEX sites_by_name ON sites(account_id, name);
                CREATE INDEX sites_by_connector ON sites(account_id, connector_id);
                CREATE INDEX sites_by_secondary_connector ON sites(account_id, secondary_connector_id);
                """ + ["lans", "wans", "acls", "app_configs"].map { table in
            // LANs, WANs, ACLs and app configs share one shape: a JSON document owned by a site.
            """
                    CREATE TABLE \(table) (
                        seq INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        account_id TEXT NOT NULL,
                        site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
                        name TEXT,
                        doc TEXT NOT NULL
                    );
                    CREATE INDEX \(table)_by_site ON \(table)(site_id, seq);
                    """
        }.joined()),
        // Keyed for range scans by time; `a` sits before `body` so a list reads no body bytes.
        Migration(name: "v1 telemetry", sql: """
                CREATE TABLE snapshots (
                    connector_seq INTEGER NOT NULL,
                    t REAL NOT NULL,
                    a REAL NOT NULL,
                    body TEXT NOT NULL,
                    PRIMARY KEY (connector_seq, t)
                ) WITHOUT ROWID;
                CREATE TABLE events (
                    connector_seq INTEGER NOT NULL,
                    t REAL NOT NULL,
                    n INTEGER NOT NULL,
                    a REAL NOT NULL,
                    k TEXT NOT NULL,
                    body TEXT NOT NULL,
                    PRIMARY KEY (connector_seq, t, n)
                ) WITHOUT ROWID;
                """),
        // Snapshot rows are ~6 KiB, so a list would walk one b-tree page per few rows; this index holds
        // just (connector, t, a), so a page of 100 list items is read from one or two index pages.
        Migration(name: "v2 covering index for snapshot lists", sql: "CREATE INDEX snapshots_list ON snapshots(connector_seq, t, a)"),
        Migration(name: "v2 catalog syncs, resource catalog and Zero Trust lists", sql: """
                -- Accounts whose catalog was edited through the API: their catalog is these rows, no longer
                -- the --catalog file. Other accounts read the file's resources.
                CREATE TABLE catalog_accounts (
                    account_id TEXT PRIMARY KEY NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    updated_at TEXT NOT NULL
                );
                CREATE TABLE catalog_resources (
                    account_id TEXT NOT NULL REFERENCES catalog_accounts(account_id) ON DELETE CASCADE,
                    id TEXT NOT NULL,
                    seq INTEGER NOT NULL,                              -- catalog order
                    doc TEXT NOT NULL,
                    PRIMARY KEY (account_id, id)
                ) WITHOUT ROWID;
                CREATE TABLE catalog_syncs (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    update_mode TEXT NOT NULL,
                    fingerprint TEXT,                                  -- policy + catalog of the last run; AUTO reruns when it differs
                    doc TEXT NOT NULL
                );
                CREATE UNIQUE INDEX catalog_syncs_by_name ON catalog_syncs(account_id, name);
                CREATE TABLE gateway_lists (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    sync_id TEXT,                                      -- the managing sync; NULL once it is deleted and the list kept
                    name TEXT NOT NULL,
                    description TEXT NOT NULL,
                    type TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                CREATE INDEX gateway_lists_by_account ON gateway_lists(account_id, seq);
                CREATE TABLE gateway_list_items (
                    list_id TEXT NOT NULL REFERENCES gateway_lists(id) ON DELETE CASCADE,
                    n INTEGER NOT NULL,                                -- order of the policy's matches
                    value TEXT NOT NULL,
                    description TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (list_id, n)
                ) WITHOUT ROWID;
                """),
        Migration(name: "v2 agent identity, CA, upgrades and cloudflared tunnels", sql: """
                -- Single-use attestation nonces; a row is deleted when used or found expired.
                CREATE TABLE attestation_challenges (
                    nonce TEXT PRIMARY KEY NOT NULL,
                    connector_seq INTEGER NOT NULL REFERENCES connectors(seq) ON DELETE CASCADE,
                    expires_at REAL NOT NULL
                );
                -- The device key of a connector: enrolled by its first verify (trust on first use), replaced by rotation.
                CREATE TABLE connector_keys (
                    connector_seq INTEGER PRIMARY KEY REFERENCES connectors(seq) ON DELETE CASCADE,
                    public_key_pem TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    enrolled_at TEXT NOT NULL
                );
                -- One CA per account, created on first use. The key is kept in clear: this is a mock.
                CREATE TABLE certificate_authorities (
                    account_id TEXT PRIMARY KEY NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    private_key_pem TEXT NOT NULL,
                    certificate_pem TEXT NOT NULL
                );
                CREATE TABLE issued_certificates (
                    serial_number TEXT PRIMARY KEY NOT NULL,
                    connector_seq INTEGER NOT NULL REFERENCES connectors(seq) ON DELETE CASCADE,
                    certificate_pem TEXT NOT NULL,
                    issued_at TEXT NOT NULL
                );
                -- What the operator asks a connector to run, and optionally the bundle bytes mock-api serves itself.
                CREATE TABLE upgrade_offers (
                    connector_seq INTEGER PRIMARY KEY REFERENCES connectors(seq) ON DELETE CASCADE,
                    doc TEXT NOT NULL
                );
                CREATE TABLE upgrade_bundles (
                    connector_seq INTEGER PRIMARY KEY REFERENCES connectors(seq) ON DELETE CASCADE,
                    sha256 TEXT NOT NULL,
                    bytes BLOB NOT NULL
                );
                CREATE TABLE cloudflared_tunnels (
                    connector_seq INTEGER PRIMARY KEY REFERENCES connectors(seq) ON DELETE CASCADE,
                    doc TEXT NOT NULL
                );
                """),
        Migration(name: "v3 magic tunnels, interconnects and routes", sql: """
                -- Account-level Magic objects, one JSON document each: kind is gre_tunnel, ipsec_tunnel,
                -- interconnect or route. name is a tunnel's name (unique across the account's tunnels, checked
                -- in code so the 409 can name the other tunnel); NULL for routes.
                CREATE TABLE magic_objects (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    name TEXT,
                    doc TEXT NOT NULL
                );
                CREATE INDEX magic_objects_by_kind ON magic_objects(account_id, kind, seq);
                CREATE INDEX magic_objects_by_name ON magic_objects(account_id, name);
                -- The pre-shared key of an IPsec tunnel: write-only through the API (never in a response or a
                -- log), read by the lab's edge through MockStore.ipsecPSK. Kept out of the tunnel's document.
                CREATE TABLE ipsec_psks (
                    tunnel_id TEXT PRIMARY KEY NOT NULL REFERENCES magic_objects(id) ON DELETE CASCADE,
                    psk TEXT NOT NULL
                );
                """),
        Migration(name: "v4 connector interrupts", sql: """
                -- Reboot, restart and shutdown requests of a connector, oldest first: the document as served;
                -- triggered_at NULL while pending (at most one pending per connector, checked in code so the
                -- 409 can say which).
                CREATE TABLE interrupts (
                    seq INTEGER PRIMARY KEY,
                    connector_seq INTEGER NOT NULL REFERENCES connectors(seq) ON DELETE CASCADE,
                    submitted_at TEXT NOT NULL,
                    triggered_at TEXT,
                    doc TEXT NOT NULL
                );
                CREATE INDEX interrupts_by_connector ON interrupts(connector_seq, seq);
                """),
        Migration(name: "v5 packet capture files", sql: """
                -- The pcap file a connector uploaded for a simple capture it claimed (at most
                -- PCAPFileStore.maximumBytes); gone with the capture.
                CREATE TABLE pcap_files (
                    pcap_id TEXT PRIMARY KEY NOT NULL REFERENCES magic_objects(id) ON DELETE CASCADE,
                    bytes BLOB NOT NULL
                );
                """),
    ]
}
