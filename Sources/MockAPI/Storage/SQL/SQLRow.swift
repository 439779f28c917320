/// One result row, read by column index or name (names compare case-insensitively, as SQL does).
struct SQLRow: Sendable {
    let columns: [String]
    let values: [SQLValue]

    func value(named name: String) -> SQLValue {
        if let index = columns.firstIndex(of: name) ?? columns.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
            return values[index]
        }
        // A programming error (a column the query does not select), like GRDB's: never caused by data.
        preconditionFailure("no column \(name) in \(columns)")
    }

    subscript<T: SQLDecodable>(_ index: Int) -> T? { T(sqlValue: values[index]) }
    subscript<T: SQLDecodable>(_ name: String) -> T? { T(sqlValue: value(named: name)) }

    /// A non-optional read of NULL or of a value of another kind is a schema/query mismatch, a bug: it stops, as in GRDB.
    subscript<T: SQLDecodable>(_ index: Int) -> T {
        guard let value = T(sqlValue: values[index]) else { preconditionFailure("column \(index) of \(columns) is NULL or not a \(T.self)") }
        return value
    }

    subscript<T: SQLDecodable>(_ name: String) -> T {
        // The value itself is never in the message: it may be a key or a PSK.
        guard let value = T(sqlValue: value(named: name)) else { preconditionFailure("column \(name) is NULL or not a \(T.self)") }
        return value
    }
}
