import Foundation

/// The connection a store closure runs on, inside the transaction `SQLDatabase.read`/`write` opened: the one
/// type store code sees, whatever the engine. Its calls read like GRDB's (`db.execute(sql:arguments:)`,
/// `String.fetchOne(db, sql:arguments:)`), so the store is written once for SQLite and PostgreSQL.
final class SQLSession {
    private let connection: any SQLConnection
    /// Rows changed by the last `execute`.
    private(set) var changesCount = 0
    private var savepoints = 0

    var dialect: SQLDialect { connection.dialect }

    init(connection: any SQLConnection) {
        self.connection = connection
    }

    func execute(sql: String, arguments: SQLArguments = []) throws {
        changesCount = try connection.run(sql, arguments).changes
    }

    func fetchAll(sql: String, arguments: SQLArguments = []) throws -> [SQLRow] {
        try connection.run(sql, arguments).rows
    }

    func runScript(_ sql: String) throws {
        try connection.runScript(sql)
    }

    enum SavepointOutcome { case commit, rollback }

    /// Runs `body` in a savepoint: its changes are kept on `.commit` and undone on `.rollback` or a thrown error,
    /// leaving the rest of the transaction usable (PostgreSQL otherwise aborts the whole transaction on an error).
    func inSavepoint(_ body: () throws -> SavepointOutcome) throws {
        savepoints += 1
        defer { savepoints -= 1 }
        let name = "s\(savepoints)"
        try execute(sql: "SAVEPOINT \(name)")
        let outcome: SavepointOutcome
        do {
            outcome = try body()
        } catch {
            try execute(sql: "ROLLBACK TO SAVEPOINT \(name)")
            try execute(sql: "RELEASE SAVEPOINT \(name)")
            throw error
        }
        if outcome == .rollback { try execute(sql: "ROLLBACK TO SAVEPOINT \(name)") }
        try execute(sql: "RELEASE SAVEPOINT \(name)")
    }
}

/// `String.fetchOne(db, sql:arguments:)` and the like: the first column of the first/every row.
extension SQLDecodable {
    static func fetchOne(_ db: SQLSession, sql: String, arguments: SQLArguments = []) throws -> Self? {
        try db.fetchAll(sql: sql, arguments: arguments).first.flatMap { $0.values.first.flatMap(Self.init(sqlValue:)) }
    }

    /// NULLs are skipped, as GRDB does for a non-optional element type.
    static func fetchAll(_ db: SQLSession, sql: String, arguments: SQLArguments = []) throws -> [Self] {
        try db.fetchAll(sql: sql, arguments: arguments).compactMap { $0.values.first.flatMap(Self.init(sqlValue:)) }
    }
}

extension SQLRow {
    static func fetchOne(_ db: SQLSession, sql: String, arguments: SQLArguments = []) throws -> SQLRow? {
        try db.fetchAll(sql: sql, arguments: arguments).first
    }

    static func fetchAll(_ db: SQLSession, sql: String, arguments: SQLArguments = []) throws -> [SQLRow] {
        try db.fetchAll(sql: sql, arguments: arguments)
    }
}
