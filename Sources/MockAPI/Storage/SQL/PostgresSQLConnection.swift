import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The PostgreSQL engine: one connection of the pool, leased for one transaction. Statements run synchronously
/// (`EventLoopFuture.wait()`), which is only ever done on a `Blocking` thread (see `PostgresDatabase`), never on
/// a NIO event loop, where waiting would deadlock the loop that must deliver the answer.
struct PostgresSQLConnection: SQLConnection {
    let connection: PostgresConnection
    let logger: Logger

    var dialect: SQLDialect { .postgres }

    func run(_ sql: String, _ arguments: SQLArguments) throws -> (rows: [SQLRow], changes: Int) {
        var bindings = PostgresBindings(capacity: arguments.values.count)
        for value in arguments.values {
            switch value {
            case .null: bindings.appendNull()
            default: bindings.append(UntypedBind(value: value))
            }
        }
        let query = PostgresQuery(unsafeSQL: Self.numberedPlaceholders(sql), binds: bindings)
        let result: PostgresQueryResult
        do {
            result = try connection.query(query, logger: logger).wait()
        } catch let error as PSQLError {
            throw PostgresStatementError(error)
        }
        var columns: [String]?
        let rows = result.rows.map { row -> SQLRow in
            let cells = Array(row)
            let names = columns ?? cells.map(\.columnName)
            columns = names
            return SQLRow(columns: names, values: cells.map(Self.sqlValue))
        }
        return (rows, result.metadata.rows ?? 0)
    }

    /// Migrations: statements one at a time (an extended-protocol query holds one statement).
    func runScript(_ sql: String) throws {
        for statement in SQLScript.statements(sql) {
            _ = try run(statement, [])
        }
    }

    /// `?` → `$1, $2, ...`, outside quoted literals, identifiers and comments: the store's SQL is written once with `?`.
    static func numberedPlaceholders(_ sql: String) -> String {
        var output = ""
        output.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        SQLText.forEachCharacter(in: sql) { character, inCode in
            if inCode && character == "?" {
                number += 1
                output += "$\(number)"
            } else {
                output.append(character)
            }
        }
        return output
    }

    /// Column types the schema uses, as the engine-neutral values store code reads.
    static func sqlValue(_ cell: PostgresCell) -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8:
            return (try? cell.decode(Int64.self)).map(SQLValue.integer) ?? .null
        case .float4, .float8:
            return (try? cell.decode(Double.self)).map(SQLValue.real) ?? .null
        case .numeric:
            return (try? cell.decode(String.self)).flatMap(Double.init).map(SQLValue.real) ?? .null
        case .bool:
            return (try? cell.decode(Bool.self)).map { .integer($0 ? 1 : 0) } ?? .null
        case .bytea:
            return (try? cell.decode(ByteBuffer.self)).map { .blob(Data($0.readableBytesView)) } ?? .null
        default:
            if let text = try? cell.decode(String.self) { return .text(PostgresText.decode(text)) }
            return cell.bytes.map { .text(PostgresText.decode(String(decoding: $0.readableBytesView, as: UTF8.self))) } ?? .null
        }
    }
}

/// A parameter sent as text with no type (OID 0): the server infers it from where the `$n` stands, as SQLite's
/// dynamic typing lets one statement bind an integer or a float to a REAL column, or a string to any text column.
struct UntypedBind: PostgresDynamicTypeEncodable {
    let value: SQLValue

    var psqlType: PostgresDataType { .null }
    var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        switch value {
        case .null: break
        case .integer(let value): byteBuffer.writeString(String(value))
        // Swift's description is the shortest text that reads back to the same bits (telemetry cursors rely on exact t).
        case .real(let value):
            byteBuffer.writeString(value.isFinite ? value.description : (value > 0 ? "Infinity" : value < 0 ? "-Infinity" : "NaN"))
        case .text(let value): byteBuffer.writeString(PostgresText.encode(value))
        case .blob(let data):
            byteBuffer.writeString("\\x")
            for byte in data { byteBuffer.writeString(byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)) }
        }
    }
}

/// A statement failed on the server: its SQLSTATE and message (PSQLError's own description hides both). Never the
/// statement's arguments, which may be secrets.
struct PostgresStatementError: Error, CustomStringConvertible {
    let sqlState: String?
    let message: String

    init(_ error: PSQLError) {
        sqlState = error.serverInfo?[.sqlState]
        // The server quotes the offending value after `: "` (invalid input syntax for type ...: "VALUE"); cut there.
        let text = error.serverInfo?[.message] ?? "\(error.code)"
        message = text.range(of: ": \"").map { String(text[..<$0.lowerBound]) } ?? text
    }

    /// Serialization failure or deadlock: the transaction may be retried as a whole.
    var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }

    var description: String { "PostgreSQL error \(sqlState ?? "?"): \(message)" }
}

/// A migration's statements, split at `;` outside quotes and comments.
enum SQLScript {
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        SQLText.forEachCharacter(in: sql) { character, inCode in
            if inCode && character == ";" {
                statements.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        statements.append(current)
        return statements.filter { statement in
            statement.split(separator: "\n").contains { line in
                let code = line.split(separator: "--", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                return !code.trimmingCharacters(in: .whitespaces).isEmpty
            }
        }
    }
}
