import ConnectorAPI
import Crypto
import Foundation
import Testing
import X509

/// The attestation exchange and the account CA, driven with real P-256 keys and real CSRs.
@Suite("Device identity (attestation, rotation, CA)")
struct DeviceIdentityTests {
    func challenge(_ client: TestClient, _ connector: String) async throws -> String {
        let response = try await client.post(Paths.connector(connector) + "/attestation/challenge", [String: Any]())
        try #require(response.status == 200, "\(response.text)")
        return try #require(response.object["nonce"] as? String)
    }

    func proof(_ key: P256.Signing.PrivateKey, nonce: String, connector: String) throws -> [String: Any] {
        let message = IdentityMessage.attestation(account: TestServer.account, connector: connector, nonce: nonce)
        return ["nonce": nonce, "public_key": key.publicKey.pemRepresentation, "signature": try key.signature(for: message).derRepresentation.base64EncodedString()]
    }

    @Test func firstVerifyEnrollsLaterOnlyThatKeyPassesAndNoncesAreSingleUse() async throws {
        try await withServer { server in
            let client = server.client
            let connector = try #require(try await client.createConnector()["id"] as? String)
            let verify = Paths.connector(connector) + "/attestation/verify"
            let key = P256.Signing.PrivateKey(), other = P256.Signing.PrivateKey()

            var nonce = try await challenge(client, connector)
            let enrolled = try await client.post(verify, try proof(key, nonce: nonce, connector: connector))
            #expect(enrolled.status == 200, "\(enrolled.text)")
            let fingerprint = SHA256.hash(data: key.publicKey.derRepresentation).map { String(format: "%02x", $0) }.joined()
            #expect(enrolled.object["fingerprint"] as? String == fingerprint)
            expectFailure(try await client.post(verify, try proof(key, nonce: nonce, connector: connector)), status: 422, code: Code.invalidValue, mentions: "nonce")

            nonce = try await challenge(client, connector)
            expectFailure(try await client.post(verify, try proof(other, nonce: nonce, connector: connector)), status: 403, code: Code.forbidden, mentions: "enrolled")
            expectFailure(try await client.post(verify, try proof(key, nonce: nonce, connector: connector)), status: 422, code: Code.invalidValue, mentions: "nonce")
            nonce = try await challenge(client, connector)
            var forged = try proof(other, nonce: nonce, connector: connector)
            forged["public_key"] = key.publicKey.pemRepresentation  // the enrolled key, signed by another
            expectFailure(try await client.post(verify, forged), status: 422, code: Code.invalidValue, mentions: "signature")
            nonce = try await challenge(client, connector)
            #expect(try await client.post(verify, try proof(key, nonce: nonce, connector: connector)).status == 200)
            #expect(try await client.get(Paths.connector(connector) + "/attestation").object["fingerprint"] as? String == fingerprint)

            // A read token may look, not prove.
            expectFailure(try await server.readClient.post(Paths.connector(connector) + "/attestation/challenge", [String: Any]()), status: 403, code: Code.forbidden)
        }
    }

    @Test func rotationNeedsTheEnrolledKeysEndorsement() async throws {
        try await withServer { server in
            let client = server.client
            let connector = try #require(try await client.createConnector()["id"] as? String)
            let old = P256.Signing.PrivateKey(), new = P256.Signing.PrivateKey(), stranger = P256.Signing.PrivateKey()
            var nonce = try await challenge(client, connector)
            #expect(try await client.post(Paths.connector(connector) + "/attestation/verify", try proof(old, nonce: nonce, connector: connector)).status == 200)

            func rotation(endorser: P256.Signing.PrivateKey) async throws -> TestResponse {
                nonce = try await challenge(client, connector)
                var body = try proof(new, nonce: nonce, connector: connector)
                let endorsed = IdentityMessage.keyRotation(account: TestServer.account, connector: connector, nonce: nonce, newPublicKey: new.publicKey.pemRepresentation)
                body["endorsement"] = try endorser.signature(for: endorsed).derRepresentation.base64EncodedString()
                return try await client.post(Paths.connector(connector) + "/attestation/rotate", body)
            }
            expectFailure(try await rotation(endorser: stranger), status: 422, code: Code.invalidValue, mentions: "endorsement")
            #expect(try await rotation(endorser: old).status == 200)
            nonce = try await challenge(client, connector)
            expectFailure(
                try await client.post(Paths.connector(connector) + "/attestation/verify", try proof(old, nonce: nonce, connector: connector)),
                status: 403, code: Code.forbidden
            )
        }
    }

    @Test func theAccountCAIssuesACertificateForAnEndorsedCSR() async throws {
        try await withServer { server in
            let client = server.client
            let connector = try #require(try await client.createConnector()["id"] as? String)
            let device = P256.Signing.PrivateKey(), certificateKey = P256.Signing.PrivateKey()
            var nonce = try await challenge(client, connector)
            #expect(try await client.post(Paths.connector(connector) + "/attestation/verify", try proof(device, nonce: nonce, connector: connector)).status == 200)

            let csr = try CertificateSigningRequest(
                version: .v1, subject: try DistinguishedName { CommonName(connector) }, privateKey: .init(certificateKey),
                attributes: .init(), signatureAlgorithm: .ecdsaWithSHA256
            ).serializeAsPEM().pemString
            func request(endorser: P256.Signing.PrivateKey, csr: String) async throws -> TestResponse {
                nonce = try await challenge(client, connector)
                let endorsed = IdentityMessage.certificateRequest(account: TestServer.account, connector: connector, nonce: nonce, csr: csr)
                return try await client.post(Paths.connector(connector) + "/pki/csr", [
                    "nonce": nonce, "csr": csr, "endorsement": try endorser.signature(for: endorsed).derRepresentation.base64EncodedString(),
                ])
            }
            expectFailure(try await request(endorser: certificateKey, csr: csr), status: 422, code: Code.invalidValue, mentions: "endorsement")
            expectFailure(try await request(endorser: device, csr: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----"), status: 422, code: Code.invalidValue, mentions: "csr")
            let issued = try await request(endorser: device, csr: csr)
            #expect(issued.status == 200, "\(issued.text)")
            let certificate = try Certificate(pemEncoded: try #require(issued.object["certificate"] as? String))
            let authority = try Certificate(pemEncoded: try #require(issued.object["ca_certificate"] as? String))
            #expect(certificate.publicKey == Certificate.PublicKey(certificateKey.publicKey))
            #expect(certificate.issuer == authority.subject)
            #expect(authority.publicKey.isValidSignature(certificate.signature, for: certificate))
            #expect(authority.publicKey.isValidSignature(authority.signature, for: authority), "the root is self-signed")
            #expect(certificate.subject.description.contains(connector))
            // One CA per account: the same root again.
            #expect(try await client.get(Paths.account + "/pki/ca").object["certificate"] as? String == issued.object["ca_certificate"] as? String)
        }
    }
}
