import ConnectorAPI
import Crypto
import Foundation
import Hummingbird

/// The device-identity exchange (a mock-api addition): attestation by challenge and signature, crypt-key
/// rotation, and certificates from the account's CA.
///
/// - `POST .../attestation/challenge` -> `{nonce, expires_at}` (single use, 120 s).
/// - `POST .../attestation/verify {nonce, public_key, signature}`: the first verify enrolls the key (trust on first
///   use); later ones must present the enrolled key (403 otherwise). `GET` shows the enrolled key, `DELETE` forgets it
///   (re-enrolling a replaced device).
/// - `POST .../attestation/rotate {nonce, public_key, signature, endorsement}`: the new key, endorsed by the enrolled one.
/// - `POST .../pki/csr {nonce, csr, endorsement}` -> a certificate for the CSR's key; `GET .../pki/ca` -> the CA (PEM).
struct IdentityRoutes {
    let services: Services

    func register(on accounts: AccountRouter) {
        accounts.group("magic/connectors/:connector_id")
            .get("attestation", use: enrolled)
            .delete("attestation", use: forget)
            .post("attestation/challenge", use: challenge)
            .post("attestation/verify", use: verify)
            .post("attestation/rotate", use: rotate)
            .post("pki/csr", use: sign)
        accounts.group("magic/pki").get("ca", use: authority)
    }

    /// Uses up the nonce in its own transaction, so a request refused afterwards cannot use it again either.
    private func consume(_ nonce: String, account: String, connector: String) async throws {
        try await services.store.writer.write { db in
            try IdentityStore.consume(db: db, seq: try ConnectorStore.requireSeq(db: db, account: account, id: connector), nonce: nonce)
        }
    }

    private func enrolled(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let enrolled = try await services.store.writer.read { db in
            try IdentityStore.enrolledKey(db: db, seq: try ConnectorStore.requireSeq(db: db, account: account, id: connector))?.result
        }
        guard let enrolled else { throw APIError.notFound("enrolled key of connector", connector) }
        return try JSONResponse.ok(enrolled)
    }

    private func forget(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        try await services.store.writer.write { db in
            try IdentityStore.forget(db: db, seq: try ConnectorStore.requireSeq(db: db, account: account, id: connector))
        }
        return try JSONResponse.ok([String: String]())
    }

    private func challenge(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let challenge = try await services.store.writer.write { db in
            try IdentityStore.newChallenge(db: db, seq: try ConnectorStore.requireSeq(db: db, account: account, id: connector))
        }
        return try JSONResponse.ok(challenge)
    }

    private func verify(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let proof = try await services.body.decode(AttestationProof.self, from: request)
        _ = try IdentityStore.publicKey(proof.publicKey)  // a malformed key is 422 before any database work
        try await consume(proof.nonce, account: account, connector: connector)
        let result = try await services.store.writer.write { db in
            let key = try IdentityStore.publicKey(proof.publicKey)
            let seq = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            let message = IdentityMessage.attestation(account: account, connector: connector, nonce: proof.nonce)
            try IdentityStore.requireSignature(proof.signature, by: key, over: message, field: "signature")
            guard let enrolled = try IdentityStore.enrolledKey(db: db, seq: seq) else {
                return try IdentityStore.enroll(db: db, seq: seq, key: key)
            }
            guard enrolled.key.derRepresentation == key.derRepresentation else {
                throw APIError(
                    status: .forbidden, code: ErrorCode.forbidden,
                    message: "public_key is not the key enrolled for connector '\(connector)' (fingerprint \(enrolled.result.fingerprint)); "
                        + "a replaced device needs DELETE .../attestation first"
                )
            }
            return enrolled.result
        }
        return try JSONResponse.ok(result)
    }

    private func rotate(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let proof = try await services.body.decode(KeyRotationProof.self, from: request)
        _ = try IdentityStore.publicKey(proof.publicKey)
        try await consume(proof.nonce, account: account, connector: connector)
        let result = try await services.store.writer.write { db in
            let key = try IdentityStore.publicKey(proof.publicKey)
            let seq = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            guard let enrolled = try IdentityStore.enrolledKey(db: db, seq: seq) else {
                throw APIError.conflict("connector '\(connector)' has no enrolled key to rotate; attest first")
            }
            try IdentityStore.requireSignature(
                proof.signature, by: key, over: IdentityMessage.attestation(account: account, connector: connector, nonce: proof.nonce),
                field: "signature"
            )
            let endorsed = IdentityMessage.keyRotation(account: account, connector: connector, nonce: proof.nonce, newPublicKey: proof.publicKey)
            try IdentityStore.requireSignature(proof.endorsement, by: enrolled.key, over: endorsed, field: "endorsement")
            return try IdentityStore.enroll(db: db, seq: seq, key: key)
        }
        return try JSONResponse.ok(result)
    }

    private func sign(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let body = try await services.body.decode(CertificateRequest.self, from: request)
        _ = try CertificateAuthority.parseCSR(body.csr)
        try await consume(body.nonce, account: account, connector: connector)
        let issued = try await services.store.writer.write { db in
            let csr = try CertificateAuthority.parseCSR(body.csr)
            let seq = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            guard let enrolled = try IdentityStore.enrolledKey(db: db, seq: seq) else {
                throw APIError.conflict("connector '\(connector)' has no enrolled key; attest before asking for a certificate")
            }
            let endorsed = IdentityMessage.certificateRequest(account: account, connector: connector, nonce: body.nonce, csr: body.csr)
            try IdentityStore.requireSignature(body.endorsement, by: enrolled.key, over: endorsed, field: "endorsement")
            return try CertificateAuthority.issue(db: db, account: account, connector: connector, seq: seq, csr: csr)
        }
        return try JSONResponse.ok(issued)
    }

    private func authority(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try context.account
        let pem = try await services.store.writer.write { db in try CertificateAuthority.root(db: db, account: account).pem }
        return try JSONResponse.ok(["certificate": pem])
    }
}
