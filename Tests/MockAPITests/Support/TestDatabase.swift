import Foundation
import TestSupport
import Testing

/// The database of one test server: a new SQLite file, or with `VCONNECTOR_TEST_DB=postgres` a new database on the
/// test process's PostgreSQL server, so the same suite runs on both engines (scripts/test runs it twice).
enum TestDatabase {
    static let environment = "VCONNECTOR_TEST_DB"

    /// True when this run's servers use PostgreSQL.
    static var isPostgres: Bool { ProcessInfo.processInfo.environment[environment] == "postgres" }

    /// A fresh database for one server: a path (SQLite) or a URL (PostgreSQL).
    static func make(_ prefix: String) throws -> String {
        guard isPostgres else { return TestScratch.path(prefix, suffix: ".sqlite") }
        return try TestPostgres.shared.get().makeDatabase()
    }

    /// Removes what `make` made: the SQLite file and its companions, or the PostgreSQL database.
    static func remove(_ location: String) {
        if location.hasPrefix("postgres://") {
            if case .success(let server) = TestPostgres.shared { server.dropDatabase(url: location) }
            return
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: location + suffix) }
    }

    /// For tests of SQLite itself (its file, its PRAGMAs): skipped when the run is on PostgreSQL, with the reason.
    static let sqliteOnly = Testing.ConditionTrait.disabled(if: isPostgres, "tests SQLite's own file or PRAGMAs; this run is on PostgreSQL")

    /// For PostgreSQL tests run in every pass: skipped, with the reason, where no server can be started.
    static let postgresAvailable = Testing.ConditionTrait.disabled(
        if: TestPostgres.unavailableReason != nil, Comment(rawValue: TestPostgres.unavailableReason ?? "")
    )
}
