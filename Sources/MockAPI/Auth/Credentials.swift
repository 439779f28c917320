import Crypto
import Foundation

/// What a credential may do: "Magic WAN Read" or "Magic WAN Write".
public enum Scope: String, Sendable {
    case read, write

    var permissionName: String { self == .read ? "Magic WAN Read" : "Magic WAN Write" }
}

/// The caller behind a request: the one account its credential belongs to, and what it may do there.
struct Principal: Sendable {
    let accountID: String
    let scope: Scope
}

/// The secrets of a newly created account; shown once, never stored in clear or logged.
public struct AccountSecrets: Sendable {
    public let accountID: String
    public let writeToken: String
    public let readToken: String
}

extension MockStore {
    static func sha256(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// A new random API token (40 hex digits, like Cloudflare's 40-character tokens).
    static func newToken() -> String { Identifier.hex(bytes: 20) }

    /// Creates an account (random id unless given) with a write token and a read token (random unless given).
    @discardableResult
    public func createAccount(id: String? = nil, writeToken: String? = nil, readToken: String? = nil) throws -> AccountSecrets {
        let accountID = id ?? Identifier.make()
        let write = writeToken ?? Self.newToken()
        let read = readToken ?? Self.newToken()
        try writer.write { db in
            try db.execute(sql: "INSERT INTO accounts (id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING", arguments: [accountID, Self.now()])
            try self.insertCredential(db, secret: write, account: accountID, kind: "token", email: nil, scope: .write)
            try self.insertCredential(db, secret: read, account: accountID, kind: "token", email: nil, scope: .read)
        }
        return AccountSecrets(accountID: accountID, writeToken: write, readToken: read)
    }

    /// Adds an API token with `scope` to an existing account.
    public func addToken(_ token: String, account: String, scope: Scope) throws {
        try writer.write { db in
            try self.insertCredential(db, secret: token, account: account, kind: "token", email: nil, scope: scope)
        }
    }

    /// Adds a global API key (used with `X-Auth-Email` + `X-Auth-Key`); it can write.
    public func addGlobalKey(_ key: String, email: String, account: String) throws {
        try writer.write { db in
            try self.insertCredential(db, secret: key, account: account, kind: "key", email: email, scope: .write)
        }
    }

    private func insertCredential(_ db: SQLSession, secret: String, account: String, kind: String, email: String?, scope: Scope) throws {
        principals.withLock { $0.removeAll() }
        try db.execute(
            sql: """
                INSERT INTO credentials (secret_sha256, account_id, kind, email, scope, name)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (secret_sha256) DO UPDATE SET account_id = excluded.account_id, kind = excluded.kind,
                    email = excluded.email, scope = excluded.scope, name = excluded.name
                """,
            arguments: [Self.sha256(secret), account, kind, email, scope.rawValue, scope.permissionName]
        )
    }

    /// The principal of a bearer token, or nil if the token is unknown.
    func principal(token: String) async throws -> Principal? {
        let hash = Self.sha256(token)
        if let cached = principals.withLock({ $0[hash] }) { return cached }
        let principal = try await writer.read { db in
            try SQLRow.fetchOne(
                db, sql: "SELECT account_id, scope FROM credentials WHERE secret_sha256 = ? AND kind = 'token'", arguments: [hash]
            ).map { Principal(accountID: $0["account_id"], scope: Scope(rawValue: $0["scope"]) ?? .read) }
        }
        // Only one process writes an SQLite file, and adding a credential clears the cache; with PostgreSQL
        // another replica may re-seed a token with another scope, so each request looks its token up.
        if let principal, writer.dialect == .sqlite { principals.withLock { $0[hash] = principal } }
        return principal
    }

    /// The principal of an email + global API key pair, or nil if they don't match.
    func principal(email: String, key: String) async throws -> Principal? {
        let hash = Self.sha256(key)
        return try await writer.read { db in
            try SQLRow.fetchOne(
                db, sql: "SELECT account_id, scope FROM credentials WHERE secret_sha256 = ? AND kind = 'key' AND lower(email) = lower(?)",
                arguments: [hash, email]
            ).map { Principal(accountID: $0["account_id"], scope: Scope(rawValue: $0["scope"]) ?? .read) }
        }
    }
}

extension MockStore {
    /// The oldest account, for seeding extra credentials into an existing database.
    public func firstAccountID() throws -> String? {
        try writer.read { db in try String.fetchOne(db, sql: "SELECT id FROM accounts ORDER BY created_at LIMIT 1") }
    }
}
