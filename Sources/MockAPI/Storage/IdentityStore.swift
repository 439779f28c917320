import ConnectorAPI
import Crypto
import Foundation

/// Attestation state of connectors: single-use challenges and the enrolled device key.
enum IdentityStore {
    /// How long a challenge may be answered.
    static let challengeLifetime: Double = 120

    static func newChallenge(db: SQLSession, seq: Int64, now: Double = MockStore.now()) throws -> AttestationChallenge {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        let nonce = Data(bytes).base64EncodedString()
        try db.execute(sql: "DELETE FROM attestation_challenges WHERE expires_at < ?", arguments: [now])
        try db.execute(
            sql: "INSERT INTO attestation_challenges (nonce, connector_seq, expires_at) VALUES (?, ?, ?)",
            arguments: [nonce, seq, now + challengeLifetime]
        )
        return AttestationChallenge(nonce: nonce, expiresAt: MockStore.timestamp(Date(timeIntervalSince1970: now + challengeLifetime)))
    }

    /// Uses up a nonce issued to this connector; 422 when unknown, used, expired or another connector's.
    static func consume(db: SQLSession, seq: Int64, nonce: String, now: Double = MockStore.now()) throws {
        let expires = try Double.fetchOne(
            db, sql: "SELECT expires_at FROM attestation_challenges WHERE nonce = ? AND connector_seq = ?", arguments: [nonce, seq]
        )
        try db.execute(sql: "DELETE FROM attestation_challenges WHERE nonce = ?", arguments: [nonce])
        guard let expires, expires >= now else {
            throw APIError.invalid("nonce", "unknown, already used or expired; ask for a new challenge")
        }
    }

    struct EnrolledKey {
        var key: P256.Signing.PublicKey
        var pem: String
        var result: AttestationResult
    }

    static func enrolledKey(db: SQLSession, seq: Int64) throws -> EnrolledKey? {
        guard let row = try SQLRow.fetchOne(
            db, sql: "SELECT public_key_pem, fingerprint, enrolled_at FROM connector_keys WHERE connector_seq = ?", arguments: [seq]
        ) else { return nil }
        let pem: String = row["public_key_pem"]
        return EnrolledKey(
            key: try P256.Signing.PublicKey(pemRepresentation: pem), pem: pem,
            result: AttestationResult(fingerprint: row["fingerprint"], enrolledAt: row["enrolled_at"])
        )
    }

    static func enroll(db: SQLSession, seq: Int64, key: P256.Signing.PublicKey) throws -> AttestationResult {
        let result = AttestationResult(fingerprint: fingerprint(key), enrolledAt: MockStore.timestamp())
        try db.execute(
            sql: """
                INSERT INTO connector_keys (connector_seq, public_key_pem, fingerprint, enrolled_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(connector_seq) DO UPDATE SET public_key_pem = excluded.public_key_pem,
                    fingerprint = excluded.fingerprint, enrolled_at = excluded.enrolled_at
                """,
            arguments: [seq, key.pemRepresentation, result.fingerprint, result.enrolledAt]
        )
        return result
    }

    static func forget(db: SQLSession, seq: Int64) throws {
        try db.execute(sql: "DELETE FROM connector_keys WHERE connector_seq = ?", arguments: [seq])
    }

    /// SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex.
    static func fingerprint(_ key: P256.Signing.PublicKey) -> String {
        SHA256.hash(data: key.derRepresentation).map { String(format: "%02x", $0) }.joined()
    }

    /// A PEM public key from a request body, or 422 naming the field.
    static func publicKey(_ pem: String, field: String = "public_key") throws -> P256.Signing.PublicKey {
        do {
            return try P256.Signing.PublicKey(pemRepresentation: pem)
        } catch {
            throw APIError.invalid(field, "not a PEM P-256 public key (SubjectPublicKeyInfo)")
        }
    }

    /// Checks a base64 DER ECDSA signature over `message`; 422 naming the field when it does not verify.
    static func requireSignature(_ base64: String, by key: P256.Signing.PublicKey, over message: Data, field: String) throws {
        guard let der = Data(base64Encoded: base64), let signature = try? P256.Signing.ECDSASignature(derRepresentation: der) else {
            throw APIError.invalid(field, "not a base64 DER ECDSA signature")
        }
        guard key.isValidSignature(signature, for: message) else {
            throw APIError.invalid(field, "the signature does not verify")
        }
    }
}
