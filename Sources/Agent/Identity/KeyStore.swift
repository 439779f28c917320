import ConnectorAPI
import Crypto
import Foundation

/// The device's keys in `<state dir>/identity` (0700, files 0600): the attested P-256 key, the key being rotated
/// in (`device-key.next.pem`, kept until the API has taken it), and the certificate with its own key
/// (`pki.json`). Private keys are never logged.
final class KeyStore: Sendable {
    let directory: String
    var deviceKeyPath: String { directory + "/device-key.pem" }
    var nextDeviceKeyPath: String { directory + "/device-key.next.pem" }
    var pkiPath: String { directory + "/pki.json" }

    init(stateDirectory: String) throws {
        directory = (stateDirectory as NSString).appendingPathComponent("identity")
        try SecureFile.directory(directory)
    }

    /// The attested device key, created (once) when missing.
    func deviceKey() throws -> P256.Signing.PrivateKey {
        if let key = try loadKey(deviceKeyPath) { return key }
        let key = P256.Signing.PrivateKey()
        try SecureFile.write(Data(key.pemRepresentation.utf8), to: deviceKeyPath)
        return key
    }

    /// A key being rotated in, if a rotation was interrupted before the API answered or before it was promoted.
    func nextDeviceKey() throws -> P256.Signing.PrivateKey? { try loadKey(nextDeviceKeyPath) }

    /// Writes a new key as the next one; nothing changes for the current key.
    func stageNextDeviceKey(_ key: P256.Signing.PrivateKey) throws {
        try SecureFile.write(Data(key.pemRepresentation.utf8), to: nextDeviceKeyPath)
    }

    /// The API took the next key: it becomes the device key (one rename, so never half-done).
    func promoteNextDeviceKey() throws { try SecureFile.move(nextDeviceKeyPath, over: deviceKeyPath) }

    func discardNextDeviceKey() { SecureFile.remove(nextDeviceKeyPath) }

    /// When the device key last changed (its creation or last rotation).
    var deviceKeyChanged: Double? { SecureFile.modified(deviceKeyPath) }

    /// The certificate and its key, if one was issued.
    func pki() -> StoredPKI? {
        SecureFile.read(pkiPath).flatMap { try? JSONDecoder().decode(StoredPKI.self, from: $0) }
    }

    func storePKI(_ pki: StoredPKI) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try SecureFile.write(try encoder.encode(pki), to: pkiPath)
    }

    var pkiChanged: Double? { SecureFile.modified(pkiPath) }

    private func loadKey(_ path: String) throws -> P256.Signing.PrivateKey? {
        guard let data = SecureFile.read(path) else { return nil }
        do {
            return try P256.Signing.PrivateKey(pemRepresentation: String(decoding: data, as: UTF8.self))
        } catch {
            // Never include the file's content: it is a private key.
            throw SecureFile.Failure(description: "\(path) is not a PEM P-256 private key; move it away to create a new identity")
        }
    }
}

/// The device certificate, its private key and the CA that issued it, as one file so they change together.
struct StoredPKI: Codable, Sendable {
    var privateKey: String
    var certificate: String
    var caCertificate: String
    var serialNumber: String
    var notAfter: String

    enum CodingKeys: String, CodingKey {
        case certificate
        case privateKey = "private_key"
        case caCertificate = "ca_certificate"
        case serialNumber = "serial_number"
        case notAfter = "not_after"
    }
}

extension P256.Signing.PrivateKey {
    /// Base64 DER ECDSA/SHA-256 signature, as the identity exchange sends it.
    func signatureText(over message: Data) throws -> String {
        try signature(for: message).derRepresentation.base64EncodedString()
    }
}

extension P256.Signing.PublicKey {
    /// SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex: safe to log.
    var fingerprint: String { SHA256.hash(data: derRepresentation).map { String(format: "%02x", $0) }.joined() }
}
