import Foundation

/// `postgres://user[:password]@host[:port]/dbname[?host=/socket/dir]`: where mock-api's PostgreSQL database is.
/// The password is kept out of every description (`redacted`), since the URL ends up in logs and error messages.
public struct PostgresURL: Sendable, CustomStringConvertible {
    public let user: String
    let password: String?
    /// A TCP host name or address; nil with `socketDirectory`.
    public let host: String?
    public let port: Int
    /// `?host=/dir`: the server's unix socket `/dir/.s.PGSQL.<port>`, as libpq reads that parameter.
    public let socketDirectory: String?
    public let database: String

    public static let schemes: Set<String> = ["postgres", "postgresql"]

    /// True for text that names PostgreSQL rather than an SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        schemes.contains { text.lowercased().hasPrefix($0 + "://") }
    }

    public init(_ text: String) throws {
        let redactedInput = Self.redact(text)
        // Control characters and spaces are refused outright (Foundation would quietly percent-encode them);
        // a character that belongs in a name or password is given percent-encoded.
        guard Self.isPostgres(text), !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f }),
            let components = URLComponents(string: text), components.fragment == nil
        else {
            throw PostgresURLError(
                url: redactedInput.filter { !$0.isNewline && $0 != "\u{0}" },
                problem: "not a postgres://user[:password]@host[:port]/dbname URL (percent-encode special characters)"
            )
        }
        guard let user = components.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw PostgresURLError(url: redactedInput, problem: "no user name (postgres://USER@host/dbname)")
        }
        let database = String(components.path.dropFirst()).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresURLError(url: redactedInput, problem: "no database name (postgres://user@host/DBNAME)")
        }
        var socketDirectory: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "host":
                guard let value = item.value, value.hasPrefix("/") else {
                    throw PostgresURLError(url: redactedInput, problem: "host= must be an absolute socket directory")
                }
                socketDirectory = value
            case "sslmode" where item.value == "disable":
                break
            default:
                throw PostgresURLError(
                    url: redactedInput, problem: "unsupported parameter '\(item.name)' (known: host=/socket/dir, sslmode=disable)"
                )
            }
        }
        let host = components.host.flatMap { $0.isEmpty ? nil : $0 }
        guard host != nil || socketDirectory != nil else {
            throw PostgresURLError(url: redactedInput, problem: "no host (postgres://user@HOST/dbname, or ?host=/socket/dir)")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw PostgresURLError(url: redactedInput, problem: "port out of range") }
        self.user = user
        self.password = components.password.flatMap { $0.removingPercentEncoding }
        self.host = socketDirectory == nil ? host : nil
        self.port = port
        self.socketDirectory = socketDirectory
        self.database = database
    }

    /// The socket file for `socketDirectory`.
    var socketPath: String? { socketDirectory.map { "\($0)/.s.PGSQL.\(port)" } }

    /// The URL with the password replaced by `***`.
    public var description: String {
        let credentials = password == nil ? user : "\(user):***"
        let place = socketDirectory.map { "?host=\($0)" } ?? ""
        return "postgres://\(credentials)@\(host ?? ""):\(port)/\(database)\(place)"
    }

    /// `text` with whatever stands between `user:` and `@` replaced by `***`: safe to print even when unparseable.
    public static func redact(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return text }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(rest[at...])
    }
}

/// A `--db postgres://...` that cannot be used; the URL is shown without its password.
public struct PostgresURLError: Error, CustomStringConvertible {
    public let url: String
    public let problem: String

    public var description: String { "bad PostgreSQL URL \(url): \(problem)" }
}
