import ConnectorAPI
import Crypto
import Foundation
import X509

/// The account's CA: a self-signed P-256 root made on first use, which issues device certificates from CSRs.
enum CertificateAuthority {
    /// Device certificates are valid this long.
    static let deviceValidity: Double = 90 * 24 * 3600

    struct Root {
        var key: P256.Signing.PrivateKey
        var certificate: Certificate
        var pem: String
    }

    static func root(db: SQLSession, account: String) throws -> Root {
        if let row = try SQLRow.fetchOne(
            db, sql: "SELECT private_key_pem, certificate_pem FROM certificate_authorities WHERE account_id = ?", arguments: [account]
        ) {
            let pem: String = row["certificate_pem"]
            return Root(key: try P256.Signing.PrivateKey(pemRepresentation: row["private_key_pem"]), certificate: try Certificate(pemEncoded: pem), pem: pem)
        }
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("vconnector mock-api")
            CommonName("vconnector mock CA \(account)")
        }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(10 * 365 * 24 * 3600),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: .init(key.publicKey))
            },
            issuerPrivateKey: .init(key)
        )
        let pem = try certificate.serializeAsPEM().pemString
        try db.execute(
            sql: "INSERT INTO certificate_authorities (account_id, private_key_pem, certificate_pem) VALUES (?, ?, ?)",
            arguments: [account, key.pemRepresentation, pem]
        )
        return Root(key: key, certificate: certificate, pem: pem)
    }

    /// Parses a PEM CSR and checks its self-signature (proof that the requester holds its key); 422 otherwise.
    static func parseCSR(_ pem: String) throws -> CertificateSigningRequest {
        let csr: CertificateSigningRequest
        do {
            csr = try CertificateSigningRequest(pemEncoded: pem)
        } catch {
            throw APIError.invalid("csr", "not a PEM certificate signing request: \(error)")
        }
        guard P256.Signing.PublicKey(csr.publicKey) != nil else { throw APIError.invalid("csr", "the key must be P-256") }
        guard csr.publicKey.isValidSignature(csr.signature, for: csr) else {
            throw APIError.invalid("csr", "the CSR's signature does not verify with its own key")
        }
        return csr
    }

    /// Issues a client certificate for `csr`'s key, subject CN = the connector id, and records it.
    static func issue(db: SQLSession, account: String, connector: String, seq: Int64, csr: CertificateSigningRequest) throws -> IssuedCertificate {
        let root = try root(db: db, account: account)
        let now = Date()
        let serial = Certificate.SerialNumber()
        let subject = try DistinguishedName {
            OrganizationName("vconnector account \(account)")
            CommonName(connector)
        }
        let notAfter = now.addingTimeInterval(deviceValidity)
        let certificate = try Certificate(
            version: .v3, serialNumber: serial, publicKey: csr.publicKey,
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: notAfter,
            issuer: root.certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.clientAuth])
                AuthorityKeyIdentifier(keyIdentifier: try root.certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
            },
            issuerPrivateKey: .init(root.key)
        )
        let pem = try certificate.serializeAsPEM().pemString
        let serialText = serial.bytes.map { String(format: "%02x", $0) }.joined()
        try db.execute(
            sql: "INSERT INTO issued_certificates (serial_number, connector_seq, certificate_pem, issued_at) VALUES (?, ?, ?, ?)",
            arguments: [serialText, seq, pem, MockStore.timestamp(now)]
        )
        return IssuedCertificate(certificate: pem, caCertificate: root.pem, serialNumber: serialText, notAfter: MockStore.timestamp(notAfter))
    }
}
