/// What an engine does for a session: run one statement with its arguments on the connection the session holds.
/// Two engines: SQLite through GRDB (`SQLiteConnection`) and PostgreSQL through postgres-nio (`PostgresSQLConnection`).
protocol SQLConnection {
    var dialect: SQLDialect { get }

    /// Runs one statement (written with `?` placeholders); returns its rows and how many rows it changed.
    func run(_ sql: String, _ arguments: SQLArguments) throws -> (rows: [SQLRow], changes: Int)

    /// Runs statements without arguments, for migrations (may hold several statements separated by `;`).
    func runScript(_ sql: String) throws
}
