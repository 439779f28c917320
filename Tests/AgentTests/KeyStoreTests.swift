import Crypto
import Foundation
import Testing

@testable import Agent

@Suite("KeyStore: the device key made once, rotation staged then promoted, PKI stored; private files only")
struct KeyStoreTests {
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : nil
    }

    @Test("the device key is created once (0600 in a 0700 identity directory) and read back the same")
    func deviceKeyOnce() throws {
        let state = temporaryStateDirectory()
        let store = try KeyStore(stateDirectory: state)
        let key = try store.deviceKey()
        #expect(try KeyStore(stateDirectory: state).deviceKey().publicKey.fingerprint == key.publicKey.fingerprint)
        #expect(Self.mode(store.directory) == 0o700 && Self.mode(store.deviceKeyPath) == 0o600)
        #expect(store.deviceKeyChanged != nil && store.pki() == nil)
    }

    @Test("rotation: a staged key is kept until promoted (one rename) or discarded")
    func rotation() throws {
        let store = try KeyStore(stateDirectory: temporaryStateDirectory())
        let current = try store.deviceKey()
        #expect(try store.nextDeviceKey() == nil)
        let next = P256.Signing.PrivateKey()
        try store.stageNextDeviceKey(next)
        #expect(try store.nextDeviceKey()?.publicKey.fingerprint == next.publicKey.fingerprint)
        #expect(try store.deviceKey().publicKey.fingerprint == current.publicKey.fingerprint, "staging changes nothing")
        try store.promoteNextDeviceKey()
        #expect(try store.deviceKey().publicKey.fingerprint == next.publicKey.fingerprint)
        #expect(try store.nextDeviceKey() == nil)
        try store.stageNextDeviceKey(P256.Signing.PrivateKey())
        store.discardNextDeviceKey()
        #expect(try store.nextDeviceKey() == nil && !SecureFile.exists(store.nextDeviceKeyPath))
    }

    @Test("a key file that is not a PEM P-256 key is an error that never shows the file's content")
    func corruptKey() throws {
        let store = try KeyStore(stateDirectory: temporaryStateDirectory())
        try SecureFile.write(Data("SECRET-NOT-A-KEY".utf8), to: store.deviceKeyPath)
        do {
            _ = try store.deviceKey()
            Issue.record("a corrupt key was accepted")
        } catch {
            #expect("\(error)".contains("is not a PEM P-256 private key") && !"\(error)".contains("SECRET"))
        }
    }

    @Test("the PKI is stored 0600 and read back; a damaged file reads as none")
    func pki() throws {
        let store = try KeyStore(stateDirectory: temporaryStateDirectory())
        let pki = StoredPKI(
            privateKey: "k", certificate: "c", caCertificate: "ca", serialNumber: "01", notAfter: "2030-01-01T00:00:00Z"
        )
        try store.storePKI(pki)
        #expect(store.pki()?.certificate == "c" && store.pki()?.serialNumber == "01")
        #expect(Self.mode(store.pkiPath) == 0o600 && store.pkiChanged != nil)
        try SecureFile.write(Data("{".utf8), to: store.pkiPath)
        #expect(store.pki() == nil)
    }
}

@Suite("SecureFile: private, atomic writes")
struct SecureFileTests {
    @Test("write replaces the whole file, 0600 even over a wider file, and leaves no temporary file")
    func atomicPrivateWrite() throws {
        let directory = temporaryStateDirectory()
        try SecureFile.directory(directory)
        let path = directory + "/f"
        _ = FileManager.default.createFile(
            atPath: path, contents: Data("old and longer".utf8), attributes: [.posixPermissions: 0o644])
        try SecureFile.write(Data("new".utf8), to: path)
        #expect(SecureFile.read(path) == Data("new".utf8))
        #expect(KeyStoreTests.mode(path) == 0o600 && KeyStoreTests.mode(directory) == 0o700)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["f"])
    }

    @Test("a write into a missing directory fails with the path and leaves nothing; move and remove")
    func failuresMoveRemove() throws {
        let directory = temporaryStateDirectory()
        #expect(throws: SecureFile.Failure.self) { try SecureFile.write(Data("x".utf8), to: directory + "/missing/f") }
        try SecureFile.directory(directory)
        try SecureFile.write(Data("a".utf8), to: directory + "/a")
        try SecureFile.move(directory + "/a", over: directory + "/b")
        #expect(!SecureFile.exists(directory + "/a") && SecureFile.read(directory + "/b") == Data("a".utf8))
        #expect(SecureFile.modified(directory + "/b") != nil && SecureFile.modified(directory + "/a") == nil)
        SecureFile.remove(directory + "/b")
        #expect(!SecureFile.exists(directory + "/b"))
        #expect(throws: SecureFile.Failure.self) { try SecureFile.move(directory + "/a", over: directory + "/c") }
    }
}
