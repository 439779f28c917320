import ConnectorAPI
import Crypto
import Foundation
import Hummingbird
import Testing
import X509

/// The attestation exchange and the account CA, driven with real P-256 keys and real CSRs.
@Suite("Device identity (attestation, rotation, CA)")
struct DeviceIdentityTests {
    /// The account's CA certificate (`GET .../pki/ca`).
    struct AuthorityCertificate: Codable, Sendable { var certificate: String }

    func challenge(_ api: RouterClient, _ connector: String) async throws -> String {
        let response = try await api.send(
            .post, Paths.connector(connector) + "/attestation/challenge", body: [String: String]())
        try #require(response.status == .ok, "\(response.text)")
        return try #require(try api.decode(AttestationChallenge.self, response).result?.nonce)
    }

    func proof(_ key: P256.Signing.PrivateKey, nonce: String, connector: String) throws -> AttestationProof {
        let message = IdentityMessage.attestation(account: TestServer.account, connector: connector, nonce: nonce)
        return AttestationProof(
            nonce: nonce, publicKey: key.publicKey.pemRepresentation,
            signature: try key.signature(for: message).derRepresentation.base64EncodedString()
        )
    }

    private func connector(_ api: RouterClient) async throws -> String {
        try await api.createConnector(ConnectorFields(device: ConnectorDeviceOptions(provisionLicense: true))).id
    }

    @Test func firstVerifyEnrollsLaterOnlyThatKeyPassesAndNoncesAreSingleUse() async throws {
        try await withRouter { api in
            let connector = try await self.connector(api)
            let verify = Paths.connector(connector) + "/attestation/verify"
            let key = P256.Signing.PrivateKey(), other = P256.Signing.PrivateKey()

            var nonce = try await challenge(api, connector)
            let enrolled = try await api.send(.post, verify, body: try proof(key, nonce: nonce, connector: connector))
            #expect(enrolled.status == .ok, "\(enrolled.text)")
            let fingerprint = SHA256.hash(data: key.publicKey.derRepresentation).map { String(format: "%02x", $0) }
                .joined()
            #expect(try api.decode(AttestationResult.self, enrolled).result?.fingerprint == fingerprint)
            expectFailure(
                try await api.send(.post, verify, body: try proof(key, nonce: nonce, connector: connector)),
                status: .unprocessableContent, code: Code.invalidValue, mentions: "nonce")

            nonce = try await challenge(api, connector)
            expectFailure(
                try await api.send(.post, verify, body: try proof(other, nonce: nonce, connector: connector)),
                status: .forbidden, code: Code.forbidden, mentions: "enrolled")
            expectFailure(
                try await api.send(.post, verify, body: try proof(key, nonce: nonce, connector: connector)),
                status: .unprocessableContent, code: Code.invalidValue, mentions: "nonce")
            nonce = try await challenge(api, connector)
            var forged = try proof(other, nonce: nonce, connector: connector)
            forged.publicKey = key.publicKey.pemRepresentation  // the enrolled key, signed by another
            expectFailure(
                try await api.send(.post, verify, body: forged), status: .unprocessableContent, code: Code.invalidValue,
                mentions: "signature")
            nonce = try await challenge(api, connector)
            #expect(
                try await api.send(.post, verify, body: try proof(key, nonce: nonce, connector: connector)).status
                    == .ok)
            #expect(
                try await api.get(AttestationResult.self, Paths.connector(connector) + "/attestation").result?
                    .fingerprint == fingerprint)

            // A read token may look, not prove.
            expectFailure(
                try await api.send(
                    .post, Paths.connector(connector) + "/attestation/challenge", token: TestServer.readToken,
                    body: [String: String]()),
                status: .forbidden, code: Code.forbidden
            )
        }
    }

    @Test func rotationNeedsTheEnrolledKeysEndorsement() async throws {
        try await withRouter { api in
            let connector = try await self.connector(api)
            let old = P256.Signing.PrivateKey(), new = P256.Signing.PrivateKey(), stranger = P256.Signing.PrivateKey()
            var nonce = try await challenge(api, connector)
            #expect(
                try await api.send(
                    .post, Paths.connector(connector) + "/attestation/verify",
                    body: try proof(old, nonce: nonce, connector: connector)
                ).status == .ok)

            func rotation(endorser: P256.Signing.PrivateKey) async throws -> RouterResponse {
                nonce = try await challenge(api, connector)
                let attested = try proof(new, nonce: nonce, connector: connector)
                let endorsed = IdentityMessage.keyRotation(
                    account: TestServer.account, connector: connector, nonce: nonce,
                    newPublicKey: new.publicKey.pemRepresentation)
                let body = KeyRotationProof(
                    nonce: nonce, publicKey: attested.publicKey, signature: attested.signature,
                    endorsement: try endorser.signature(for: endorsed).derRepresentation.base64EncodedString()
                )
                return try await api.send(.post, Paths.connector(connector) + "/attestation/rotate", body: body)
            }
            expectFailure(
                try await rotation(endorser: stranger), status: .unprocessableContent, code: Code.invalidValue,
                mentions: "endorsement")
            #expect(try await rotation(endorser: old).status == .ok)
            nonce = try await challenge(api, connector)
            expectFailure(
                try await api.send(
                    .post, Paths.connector(connector) + "/attestation/verify",
                    body: try proof(old, nonce: nonce, connector: connector)),
                status: .forbidden, code: Code.forbidden
            )
        }
    }

    @Test func theAccountCAIssuesACertificateForAnEndorsedCSR() async throws {
        try await withRouter { api in
            let connector = try await self.connector(api)
            let device = P256.Signing.PrivateKey(), certificateKey = P256.Signing.PrivateKey()
            var nonce = try await challenge(api, connector)
            #expect(
                try await api.send(
                    .post, Paths.connector(connector) + "/attestation/verify",
                    body: try proof(device, nonce: nonce, connector: connector)
                ).status == .ok)

            let csr = try CertificateSigningRequest(
                version: .v1, subject: try DistinguishedName { CommonName(connector) },
                privateKey: .init(certificateKey),
                attributes: .init(), signatureAlgorithm: .ecdsaWithSHA256
            ).serializeAsPEM().pemString
            func request(endorser: P256.Signing.PrivateKey, csr: String) async throws -> RouterResponse {
                nonce = try await challenge(api, connector)
                let endorsed = IdentityMessage.certificateRequest(
                    account: TestServer.account, connector: connector, nonce: nonce, csr: csr)
                let body = CertificateRequest(
                    nonce: nonce, csr: csr,
                    endorsement: try endorser.signature(for: endorsed).derRepresentation.base64EncodedString())
                return try await api.send(.post, Paths.connector(connector) + "/pki/csr", body: body)
            }
            expectFailure(
                try await request(endorser: certificateKey, csr: csr), status: .unprocessableContent,
                code: Code.invalidValue, mentions: "endorsement")
            expectFailure(
                try await request(
                    endorser: device,
                    csr: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----"),
                status: .unprocessableContent, code: Code.invalidValue, mentions: "csr")
            let issued = try await request(endorser: device, csr: csr)
            #expect(issued.status == .ok, "\(issued.text)")
            let pems = try #require(try api.decode(IssuedCertificate.self, issued).result)
            let certificate = try Certificate(pemEncoded: pems.certificate)
            let authority = try Certificate(pemEncoded: pems.caCertificate)
            #expect(certificate.publicKey == Certificate.PublicKey(certificateKey.publicKey))
            #expect(certificate.issuer == authority.subject)
            #expect(authority.publicKey.isValidSignature(certificate.signature, for: certificate))
            #expect(
                authority.publicKey.isValidSignature(authority.signature, for: authority), "the root is self-signed")
            #expect(certificate.subject.description.contains(connector))
            // One CA per account: the same root again.
            #expect(
                try await api.get(AuthorityCertificate.self, Paths.account + "/pki/ca").result?.certificate
                    == pems.caCertificate)
        }
    }
}
