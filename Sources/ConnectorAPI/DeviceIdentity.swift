import Foundation

// The device-identity exchange between the agent and mock-api (a mock-api addition, not in the public API):
// attestation by challenge and signature, crypt-key rotation, and certificates from the account's CA.
// Keys are P-256; public keys travel as PEM (SubjectPublicKeyInfo), signatures as base64 DER ECDSA/SHA-256.

/// `POST .../connectors/{id}/attestation/challenge`: a single-use nonce to sign.
public struct AttestationChallenge: Codable, Sendable, Equatable {
    /// 32 random bytes, base64.
    public var nonce: String
    /// When the nonce stops being accepted (ISO 8601).
    public var expiresAt: String

    public init(nonce: String, expiresAt: String) {
        self.nonce = nonce
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case nonce
        case expiresAt = "expires_at"
    }
}

/// `POST .../attestation/verify`: proof that the device holds the private key of `publicKey`.
public struct AttestationProof: Codable, Sendable, Equatable {
    public var nonce: String
    public var publicKey: String
    /// The key's signature over `IdentityMessage.attestation`.
    public var signature: String

    public init(nonce: String, publicKey: String, signature: String) {
        self.nonce = nonce
        self.publicKey = publicKey
        self.signature = signature
    }

    enum CodingKeys: String, CodingKey {
        case nonce, signature
        case publicKey = "public_key"
    }
}

/// `POST .../attestation/rotate`: a new key, proven by its own signature and endorsed by the enrolled key.
public struct KeyRotationProof: Codable, Sendable, Equatable {
    public var nonce: String
    /// The new public key.
    public var publicKey: String
    /// The new key's signature over `IdentityMessage.attestation`.
    public var signature: String
    /// The enrolled (old) key's signature over `IdentityMessage.keyRotation`.
    public var endorsement: String

    public init(nonce: String, publicKey: String, signature: String, endorsement: String) {
        self.nonce = nonce
        self.publicKey = publicKey
        self.signature = signature
        self.endorsement = endorsement
    }

    enum CodingKeys: String, CodingKey {
        case nonce, signature, endorsement
        case publicKey = "public_key"
    }
}

/// The enrolled key after a verify or a rotation.
public struct AttestationResult: Codable, Sendable, Equatable {
    /// SHA-256 of the key's DER SubjectPublicKeyInfo, lowercase hex.
    public var fingerprint: String
    /// When this key was enrolled (ISO 8601).
    public var enrolledAt: String

    public init(fingerprint: String, enrolledAt: String) {
        self.fingerprint = fingerprint
        self.enrolledAt = enrolledAt
    }

    enum CodingKeys: String, CodingKey {
        case fingerprint
        case enrolledAt = "enrolled_at"
    }
}

/// `POST .../connectors/{id}/pki/csr`: a PEM CSR (signed by its own key), endorsed by the enrolled device key.
public struct CertificateRequest: Codable, Sendable, Equatable {
    public var nonce: String
    public var csr: String
    /// The enrolled key's signature over `IdentityMessage.certificateRequest`.
    public var endorsement: String

    public init(nonce: String, csr: String, endorsement: String) {
        self.nonce = nonce
        self.csr = csr
        self.endorsement = endorsement
    }
}

/// A certificate issued by the account's CA.
public struct IssuedCertificate: Codable, Sendable, Equatable {
    public var certificate: String
    public var caCertificate: String
    /// Hex.
    public var serialNumber: String
    public var notAfter: String

    public init(certificate: String, caCertificate: String, serialNumber: String, notAfter: String) {
        self.certificate = certificate
        self.caCertificate = caCertificate
        self.serialNumber = serialNumber
        self.notAfter = notAfter
    }

    enum CodingKeys: String, CodingKey {
        case certificate
        case caCertificate = "ca_certificate"
        case serialNumber = "serial_number"
        case notAfter = "not_after"
    }
}

/// The exact bytes each signature covers. Every message names the account and connector and carries a fresh
/// nonce, so a signature cannot be replayed for another connector or later.
public enum IdentityMessage {
    public static func attestation(account: String, connector: String, nonce: String) -> Data {
        Data("vconnector-attestation-v1\n\(account)\n\(connector)\n\(nonce)".utf8)
    }

    public static func keyRotation(account: String, connector: String, nonce: String, newPublicKey: String) -> Data {
        Data("vconnector-key-rotation-v1\n\(account)\n\(connector)\n\(nonce)\n\(newPublicKey)".utf8)
    }

    public static func certificateRequest(account: String, connector: String, nonce: String, csr: String) -> Data {
        Data("vconnector-certificate-request-v1\n\(account)\n\(connector)\n\(nonce)\n\(csr)".utf8)
    }
}
