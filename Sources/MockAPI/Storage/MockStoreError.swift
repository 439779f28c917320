/// The mock's database could not be opened or migrated; names the file (SQLite's own text, "SQLite error 14:
/// unable to open database file", does not).
public struct MockStoreError: Error, CustomStringConvertible {
    public var path: String
    public var underlying: any Error

    public var description: String {
        if PostgresURL.isPostgres(path) { return "cannot open the database \(PostgresURL.redact(path)): \(underlying)" }
        return "cannot open the database \(path): \(underlying) (check that its directory exists and is writable, or use --db :memory:)"
    }
}
