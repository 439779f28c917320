import ConnectorAPI
import Crypto
import Foundation
import X509

/// The device's side of the identity exchange (see docs/agent.md, "Identity"): every request carries a fresh
/// challenge nonce signed by the keys involved. Throws `APIRefusal` when the API says no, `APIUnavailable` when
/// it cannot be reached, `IdentityError` when its answer is wrong.
package struct IdentityClient: Sendable {
    let client: APIClient

    package init(client: APIClient) {
        self.client = client
    }

    private var attestationPath: String { client.connectorPath + "/attestation" }

    /// Proves possession of `key`; the first proof enrolls it.
    package func attest(_ key: P256.Signing.PrivateKey) async throws -> AttestationResult {
        let nonce = try await challenge()
        let message = IdentityMessage.attestation(account: client.accountID, connector: client.connectorID, nonce: nonce)
        let proof = AttestationProof(nonce: nonce, publicKey: key.publicKey.pemRepresentation, signature: try key.signatureText(over: message))
        let result = try await client.call("POST", attestationPath + "/verify", body: proof, as: AttestationResult.self)
        try expect(result, for: key)
        return result
    }

    /// Replaces the enrolled key `old` with `new`: `new` signs the challenge, `old` endorses `new`.
    func rotate(from old: P256.Signing.PrivateKey, to new: P256.Signing.PrivateKey) async throws -> AttestationResult {
        let nonce = try await challenge()
        let newPEM = new.publicKey.pemRepresentation
        let proof = KeyRotationProof(
            nonce: nonce, publicKey: newPEM,
            signature: try new.signatureText(over: IdentityMessage.attestation(account: client.accountID, connector: client.connectorID, nonce: nonce)),
            endorsement: try old.signatureText(
                over: IdentityMessage.keyRotation(account: client.accountID, connector: client.connectorID, nonce: nonce, newPublicKey: newPEM)
            )
        )
        let result = try await client.call("POST", attestationPath + "/rotate", body: proof, as: AttestationResult.self)
        try expect(result, for: new)
        return result
    }

    /// A certificate for `certificateKey` from the account's CA, asked for with a CSR endorsed by `deviceKey`.
    /// The answer is checked: the certificate holds our key, names our connector and is signed by the CA it came with.
    func certificate(for certificateKey: P256.Signing.PrivateKey, endorsedBy deviceKey: P256.Signing.PrivateKey) async throws -> StoredPKI {
        let subject = try DistinguishedName { CommonName(client.connectorID) }
        let csr = try CertificateSigningRequest(
            version: .v1, subject: subject, privateKey: .init(certificateKey), attributes: .init(), signatureAlgorithm: .ecdsaWithSHA256
        )
        let csrPEM = try csr.serializeAsPEM().pemString
        let nonce = try await challenge()
        let request = CertificateRequest(
            nonce: nonce, csr: csrPEM,
            endorsement: try deviceKey.signatureText(
                over: IdentityMessage.certificateRequest(account: client.accountID, connector: client.connectorID, nonce: nonce, csr: csrPEM)
            )
        )
        let issued = try await client.call("POST", client.connectorPath + "/pki/csr", body: request, as: IssuedCertificate.self)
        let certificate: Certificate, authority: Certificate
        do {
            certificate = try Certificate(pemEncoded: issued.certificate)
            authority = try Certificate(pemEncoded: issued.caCertificate)
        } catch {
            throw IdentityError(description: "the issued certificate or its CA is not PEM X.509: \(error)")
        }
        guard certificate.publicKey == Certificate.PublicKey(certificateKey.publicKey) else {
            throw IdentityError(description: "the issued certificate is for another key")
        }
        guard certificate.issuer == authority.subject, authority.publicKey.isValidSignature(certificate.signature, for: certificate) else {
            throw IdentityError(description: "the issued certificate is not signed by the CA it came with")
        }
        guard certificate.subject.description.contains(client.connectorID) else {
            throw IdentityError(description: "the issued certificate names \(certificate.subject), not connector \(client.connectorID)")
        }
        return StoredPKI(
            privateKey: certificateKey.pemRepresentation, certificate: issued.certificate, caCertificate: issued.caCertificate,
            serialNumber: issued.serialNumber, notAfter: issued.notAfter
        )
    }

    private func challenge() async throws -> String {
        try await client.call("POST", attestationPath + "/challenge", body: [String: String](), as: AttestationChallenge.self).nonce
    }

    private func expect(_ result: AttestationResult, for key: P256.Signing.PrivateKey) throws {
        guard result.fingerprint == key.publicKey.fingerprint else {
            throw IdentityError(description: "the API enrolled key \(result.fingerprint), not ours (\(key.publicKey.fingerprint))")
        }
    }
}

/// The API answered the identity exchange with something that does not hold up.
struct IdentityError: Error, CustomStringConvertible {
    var description: String
}
