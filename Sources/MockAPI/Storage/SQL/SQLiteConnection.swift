import Foundation
import GRDB

/// The SQLite engine: a GRDB `Database` inside the transaction GRDB opened. Every statement goes through GRDB's
/// per-connection statement cache, so the hot ingest and list statements are prepared once per connection.
struct SQLiteConnection: SQLConnection {
    let db: Database

    var dialect: SQLDialect { .sqlite }

    func run(_ sql: String, _ arguments: SQLArguments) throws -> (rows: [SQLRow], changes: Int) {
        let statement = try db.cachedStatement(sql: sql)
        let bound = StatementArguments(arguments.values.map(Self.databaseValue))
        if statement.columnCount == 0 {
            try statement.execute(arguments: bound)
            return ([], db.changesCount)
        }
        let columns = statement.columnNames
        var rows: [SQLRow] = []
        let cursor = try GRDB.Row.fetchCursor(statement, arguments: bound)
        while let row = try cursor.next() {
            rows.append(SQLRow(columns: columns, values: row.databaseValues.map(Self.sqlValue)))
        }
        return (rows, 0)
    }

    func runScript(_ sql: String) throws {
        try db.execute(sql: sql)
    }

    static func databaseValue(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .text(let value): value.databaseValue
        case .blob(let value): value.databaseValue
        }
    }

    static func sqlValue(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: .null
        case .int64(let value): .integer(value)
        case .double(let value): .real(value)
        case .string(let value): .text(value)
        case .blob(let value): .blob(value)
        }
    }
}
