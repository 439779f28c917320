import ConnectorAPI

/// IPsec pre-shared keys: written by create, PUT and psk_generate, read only by the lab's edge. Never encoded into
/// a response or a log line; they live only in the 0600 database.
enum IPsecPSKStore {
    /// Cloudflare's PSKs are 32 characters of this alphabet (seed 003's example: `O3bwKSjnaoCxDoUxjcq4Rk8ZKkezQUiy`).
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// A fresh PSK from the system CSPRNG (uniform over the alphabet).
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    static func save(_ psk: String, tunnel: String, db: SQLSession) throws {
        try db.execute(
            sql: "INSERT INTO ipsec_psks (tunnel_id, psk) VALUES (?, ?) ON CONFLICT (tunnel_id) DO UPDATE SET psk = excluded.psk",
            arguments: [tunnel, psk]
        )
    }

    static func fetch(tunnel: String, db: SQLSession) throws -> String? {
        try String.fetchOne(db, sql: "SELECT psk FROM ipsec_psks WHERE tunnel_id = ?", arguments: [tunnel])
    }
}

extension MockStore {
    /// The pre-shared key of an IPsec tunnel of `account`, for the lab's edge to authenticate the site with; nil
    /// for an unknown tunnel (or another account's). The API never returns it after psk_generate's answer.
    public func ipsecPSK(account: String, tunnelID: String) throws -> String? {
        try writer.read { db in
            guard try MagicObjectStore.fetch(IPsecTunnel.self, db: db, account: account, id: tunnelID) != nil else { return nil }
            return try IPsecPSKStore.fetch(tunnel: tunnelID, db: db)
        }
    }
}
