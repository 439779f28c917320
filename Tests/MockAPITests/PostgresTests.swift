import Foundation
import TestSupport
import Testing

@testable import MockAPI

/// mock-api on PostgreSQL, in every test pass (not only the `VCONNECTOR_TEST_DB=postgres` one): replicas sharing one
/// database, the engine's value round trip, migrations racing, and the URL's password kept out of every text.
@Suite("PostgreSQL backend", .serialized, TestDatabase.postgresAvailable)
struct PostgresTests {
    /// A fresh database on the test server, dropped after `body`.
    static func withDatabase(_ body: (String) async throws -> Void) async throws {
        let server = try TestPostgres.shared.get()
        let url = try server.makeDatabase(prefix: "vct_pg")
        defer { server.dropDatabase(url: url) }
        try await body(url)
    }

    @Test("two replicas on one database serve one fleet: a write through either is read through the other")
    func replicasShareOneDatabase() async throws {
        try await Self.withDatabase { url in
            let first = try await TestServer.start(databasePath: url)
            let second = try await TestServer.start(databasePath: url)
            do {
                let id = try #require(try await first.client.createConnector(["device": ["id": "replicated"]])["id"] as? String)
                #expect(try await second.client.get(Paths.connector(id)).object["id"] as? String == id)
                #expect(try await second.client.post("\(Paths.telemetry(id))/snapshots", try snapshotBody(t: 42)).object["stored"] as? Int == 1)
                #expect(try await first.client.get("\(Paths.telemetry(id))/snapshots/42").object["t"] as? Double == 42)
                #expect(try await first.client.get(Paths.connector(id)).object["last_heartbeat"] is String, "the heartbeat written by the other replica")
                // The same name from both replicas at once: exactly one site is created, the others are told why.
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<8 {
                        let client = index % 2 == 0 ? first.client : second.client
                        group.addTask { try await client.post(Paths.sites, ["name": "contended"]).status }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(statuses.sorted() == [200] + Array(repeating: 409, count: 7), "\(statuses)")
                #expect(try await first.client.get(Paths.sites).array.count == 1)
                // The other account sees nothing of this one through either replica.
                #expect([403, 404].contains(try await TestClient(base: second.base, token: TestServer.otherWriteToken).get(Paths.connector(id)).status))
            } catch {
                await first.stop()
                await second.stop()
                throw error
            }
            await first.stop()
            await second.stop()
        }
    }

    @Test("replicas starting together migrate once")
    func concurrentMigrations() async throws {
        try await Self.withDatabase { url in
            let stores = try await withThrowingTaskGroup(of: MockStore.self) { group in
                for _ in 0..<3 { group.addTask { try await offPool { try MockStore(path: url) } } }
                return try await group.reduce(into: [MockStore]()) { $0.append($1) }
            }
            let applied = try await stores[0].writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM schema_migrations") }
            #expect(applied == Schema.migrations.count)
            for store in stores { store.close() }
        }
    }

    /// Every kind of value goes in and comes back exactly, on both engines.
    @Test("values round-trip exactly on both engines", arguments: ["sqlite", "postgres"])
    func valuesRoundTrip(engine: String) async throws {
        let doubles = [1_700_000_000.123_456_7, -1.5, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude, -Double.infinity, 0.1 + 0.2]
        let texts = ["", "it's", "\"quoted\" ? $1 -- not a comment", "ünïcødé ✓", "\u{10FFFE}0\u{10FFFE}", String(repeating: "x", count: 100_000)]
        let blob = Data((0...255).map(UInt8.init))
        @Sendable func check(_ store: MockStore) throws {
            try store.writer.write { db in
                // The schema's own translation: on PostgreSQL REAL alone would be float4.
                try db.execute(sql: db.dialect.ddl("CREATE TABLE roundtrip (n INTEGER, r REAL, s TEXT, b BLOB)"))
                for (index, double) in doubles.enumerated() {
                    try db.execute(sql: "INSERT INTO roundtrip (n, r, s, b) VALUES (?, ?, ?, ?)", arguments: [Int64(index), double, nil as String?, nil as Data?])
                }
                for (index, text) in texts.enumerated() {
                    try db.execute(sql: "INSERT INTO roundtrip (n, s) VALUES (?, ?)", arguments: [Int64(100 + index), text])
                }
                try db.execute(sql: "INSERT INTO roundtrip (n, b) VALUES (?, ?)", arguments: [Int64.max, blob])
            }
            try store.writer.write { db in
                let read = try Double.fetchAll(db, sql: "SELECT r FROM roundtrip WHERE n < 100 ORDER BY n")
                #expect(read.map(\.bitPattern) == doubles.map(\.bitPattern))
                #expect(try String.fetchAll(db, sql: "SELECT s FROM roundtrip WHERE n >= 100 AND n < 200 ORDER BY n") == texts)
                #expect(try Data.fetchOne(db, sql: "SELECT b FROM roundtrip WHERE n = ?", arguments: [Int64.max]) == blob)
                #expect(try Int64.fetchOne(db, sql: "SELECT max(n) FROM roundtrip") == Int64.max)
                let row = try #require(try SQLRow.fetchOne(db, sql: "SELECT s, b FROM roundtrip WHERE n = 0"))
                #expect((row["s"] as String?) == nil && (row["b"] as Data?) == nil)
                // An untyped parameter compared with a text column, and one only tested for NULL (cast).
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM roundtrip WHERE s = ? OR CAST(? AS TEXT) IS NULL", arguments: ["it's", "x"]) == 1)
                // NUL, which PostgreSQL's text cannot hold, is escaped there: a hostile id is stored, found and read
                // back whole (SQLite, through GRDB, keeps what comes before the NUL).
                if db.dialect == .postgres {
                    try db.execute(sql: "INSERT INTO roundtrip (n, s) VALUES (?, ?)", arguments: [Int64(300), "a\u{0}b\u{10FFFE}"])
                    #expect(try String.fetchOne(db, sql: "SELECT s FROM roundtrip WHERE s = ?", arguments: ["a\u{0}b\u{10FFFE}"]) == "a\u{0}b\u{10FFFE}")
                    #expect(try Int64.fetchOne(db, sql: "SELECT n FROM roundtrip WHERE s = ?", arguments: ["a"]) == nil)
                }
            }
        }
        if engine == "sqlite" {
            try check(try MockStore(path: ":memory:"))
        } else {
            try await Self.withDatabase { url in
                let store = try MockStore(path: url)
                defer { store.close() }
                try await offPool { try check(store) }
            }
        }
    }

    @Test("a statement's failure rolls back its transaction and names the SQL state, never the arguments")
    func failuresRollBack() async throws {
        try await Self.withDatabase { url in
            let store = try MockStore(path: url)
            defer { store.close() }
            let secret = "s3cret-argument"
            let error = await #expect(throws: PostgresStatementError.self) {
                try await store.writer.write { db in
                    try db.execute(sql: "INSERT INTO accounts (id, created_at) VALUES (?, ?)", arguments: ["kept-out", 1.0])
                    try db.execute(sql: "INSERT INTO accounts (id, created_at) VALUES (?, ?)", arguments: ["x", secret])
                }
            }
            #expect(error?.sqlState == "22P02")
            #expect(error.map { !"\($0)".contains(secret) } == true)
            #expect(try await store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM accounts") } == 0)
        }
    }

    @Test("a wrong password or an unknown database is a clear error without the password")
    func connectionErrorsHideThePassword() async throws {
        let server = try TestPostgres.shared.get()
        let url = "postgres://postgres:hunter2-secret@localhost/vct_missing_\(UUID().uuidString.prefix(8).lowercased())?host=\(server.socketDirectory)"
        #expect {
            _ = try MockStore(path: url)
        } throws: { error in
            let text = "\(error)"
            return text.contains("vct_missing") && !text.contains("hunter2") && text.contains("***")
        }
    }
}

/// `--db postgres://...`: parsing, and the password kept out of every text made from the URL.
@Suite("PostgreSQL URL")
struct PostgresURLTests {
    @Test func parsesTCPAndSocketForms() throws {
        let tcp = try PostgresURL("postgres://mock:p%40ss@db.example:6543/mockapi")
        #expect(tcp.user == "mock" && tcp.password == "p@ss" && tcp.host == "db.example" && tcp.port == 6543 && tcp.database == "mockapi")
        #expect(tcp.description == "postgres://mock:***@db.example:6543/mockapi")
        let socket = try PostgresURL("postgresql://mock@/mockapi?host=/run/postgresql")
        #expect(socket.socketPath == "/run/postgresql/.s.PGSQL.5432" && socket.host == nil && socket.password == nil)
        #expect(PostgresURL.isPostgres("POSTGRES://x@y/z") && !PostgresURL.isPostgres("postgres.sqlite") && !PostgresURL.isPostgres(":memory:"))
    }

    @Test("bad URLs are refused, and no error repeats the password", arguments: [
        "postgres://", "postgres://user:pw-secret@/db", "postgres://user:pw-secret@host/", "postgres://:pw-secret@host/db",
        "postgres://user:pw-secret@host/db?sslmode=require", "postgres://user:pw-secret@host/db?host=relative/dir",
        "postgres://user:pw-secret@host:99999/db", "postgres://user:pw-secret@host/a/b",
        "postgres://user:pw-secret@host/db?x=$(touch /tmp/x)", "postgres://user:pw-secret@host/db\n#=\"'..\u{0}",
        "postgres://user:pw-secret@host/db#fragment", "postgres://user:pw-secret@host/d b",
        "postgres://user:pw-secret@host/db?options=" + String(repeating: "a", count: 5000),
    ])
    func badURLs(text: String) {
        #expect {
            _ = try PostgresURL(text)
        } throws: { error in
            !"\(error)".contains("pw-secret")
        }
        #expect(!MockStoreError(path: text, underlying: PostgresURLError(url: PostgresURL.redact(text), problem: "x")).description.contains("pw-secret"))
    }

    @Test func redactsWhateverFollowsTheUser() {
        #expect(PostgresURL.redact("postgres://u:a:b@c@host/db") == "postgres://u:***@host/db")
        #expect(PostgresURL.redact("postgres://u@host/db") == "postgres://u@host/db")
        #expect(PostgresURL.redact("not a url") == "not a url")
    }

    @Test("? becomes $n outside literals, quoted names and comments")
    func placeholders() {
        #expect(
            PostgresSQLConnection.numberedPlaceholders("SELECT '?', ?, \"a?\" -- ? here\n, ? FROM t WHERE x = '?''?' AND y = ?")
                == "SELECT '?', $1, \"a?\" -- ? here\n, $2 FROM t WHERE x = '?''?' AND y = $3"
        )
    }

    @Test("the schema's DDL is translated for PostgreSQL in the few places it differs")
    func ddl() {
        let sql = "CREATE TABLE x (seq INTEGER PRIMARY KEY, connector_seq INTEGER PRIMARY KEY, t REAL, b BLOB, s TEXT) WITHOUT ROWID;"
        #expect(
            SQLDialect.postgres.ddl(sql)
                == "CREATE TABLE x (seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, connector_seq BIGINT PRIMARY KEY, t DOUBLE PRECISION, b BYTEA, s TEXT COLLATE \"C\");"
        )
        #expect(SQLDialect.sqlite.ddl(sql) == sql)
        #expect(SQLScript.statements("CREATE TABLE a (x TEXT); -- a comment; with a semicolon\nCREATE TABLE b (y TEXT DEFAULT ';');\n").count == 2)
    }
}
