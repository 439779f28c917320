import Foundation
@testable import MockAPI
import Testing
import TestSupport

/// The database holds CA keys and token hashes: the file and its WAL companions are 0600 whatever the umask.
@Suite("Database file mode", TestDatabase.sqliteOnly)
struct DatabaseFileModeTests {
    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int, "no permissions for \(path)")
    }

    @Test("a new database, its -wal and its -shm are 0600 (the default umask would give 0644)")
    func newDatabase() async throws {
        let path = TestScratch.path("mode", suffix: ".sqlite")
        let server = try await TestServer.start(databasePath: path)
        _ = try await server.client.createConnector()
        for file in [path, path + "-wal", path + "-shm"] {
            #expect(FileManager.default.fileExists(atPath: file), "\(file) should exist while the server runs")
            let mode = try Self.mode(file)
            #expect(mode == 0o600, "\(file) is \(String(mode, radix: 8))")
        }
        await server.stop()
    }

    @Test("files an older run left world-readable are restricted on open")
    func existingFilesAreRestricted() throws {
        let path = TestScratch.path("mode-old", suffix: ".sqlite")
        do {
            let store = try MockStore(path: path)
            _ = try store.createAccount(id: "acc-old", writeToken: "old-token")
        }
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        }
        #expect(try Self.mode(path) == 0o644)
        let store = try MockStore(path: path)
        #expect(try !store.isEmpty())
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            let mode = try Self.mode(file)
            #expect(mode == 0o600, "\(file) is \(String(mode, radix: 8))")
        }
    }
}
