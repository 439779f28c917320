import ConnectorAPI
import Crypto
import Foundation
import Testing

@testable import Agent

@Suite("VersionStore: a verified bundle installed under versions/<version>, current.json names it")
struct VersionStoreTests {
    @Test("install moves the staged bundle into place and records it; a new store reads it back")
    func installAndCurrent() throws {
        let state = temporaryStateDirectory()
        let store = try VersionStore(stateDirectory: state)
        #expect(store.current() == nil)
        try Data("bundle bytes".utf8).write(to: URL(fileURLWithPath: store.stagingPath))
        let offer = UpgradeOffer(
            version: "1.2.3", url: "http://127.0.0.1:1/b", sha256: String(repeating: "a", count: 64))
        let installed = try store.install(staged: store.stagingPath, offer: offer)
        #expect(installed.version == "1.2.3" && installed.sha256 == offer.sha256 && installed.url == offer.url)
        #expect(FileManager.default.contents(atPath: store.directory + "/1.2.3/bundle") == Data("bundle bytes".utf8))
        #expect(!FileManager.default.fileExists(atPath: store.stagingPath))
        #expect(try VersionStore(stateDirectory: state).current() == installed)
    }

    @Test("current.json naming a version that breaks the version grammar reads as none")
    func untrustedCurrent() throws {
        let store = try VersionStore(stateDirectory: temporaryStateDirectory())
        try Data(#"{"version":"../../etc","sha256":"x","url":"u","installed_at":"t"}"#.utf8).write(
            to: URL(fileURLWithPath: store.currentPath))
        #expect(store.current() == nil)
        try Data("not json".utf8).write(to: URL(fileURLWithPath: store.currentPath))
        #expect(store.current() == nil)
    }
}

@Suite("BundleDownloader: to a file, hashed, the token only under the API base")
struct BundleDownloaderTests {
    static let body = String(repeating: "0123456789", count: 10_000)

    @Test("a 200 answer is written to the file and hashed; the token goes only to URLs under the API base")
    func downloadAndHash() async throws {
        let server = try ScriptedHTTPServer { _, _ in
            .send("HTTP/1.1 200 OK\r\nContent-Length: \(Self.body.utf8.count)\r\n\r\n\(Self.body)")
        }
        defer { server.stop() }
        let path = temporaryStateDirectory()
        defer { unlink(path) }
        let downloader = BundleDownloader(
            apiBase: server.url + "/client/v4", token: "secret-token", timeout: 5, http: HTTPClient())
        let underBase = try await downloader.download(server.url + "/client/v4/bundles/1", to: path)
        let expected = SHA256.hash(data: Data(Self.body.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(underBase.bytes == 100_000 && underBase.sha256 == expected)
        #expect(try BundleDownloader.sha256(of: path) == underBase)
        _ = try await downloader.download(server.url + "/elsewhere/bundle", to: path)
        #expect(server.requests.count == 2)
        #expect(server.requests[0].contains("Authorization: Bearer secret-token"))
        #expect(!server.requests[1].contains("secret-token"), "the token never leaves the API base")
    }

    @Test("an answer other than 200 fails, naming the status, and leaves no file")
    func notFound() async throws {
        let server = try ScriptedHTTPServer { _, _ in
            .send("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found")
        }
        defer { server.stop() }
        let path = temporaryStateDirectory()
        let downloader = BundleDownloader(apiBase: server.url, token: "t", timeout: 5, http: HTTPClient())
        await #expect {
            try await downloader.download(server.url + "/b", to: path)
        } throws: { error in
            (error as? BundleDownloader.Failure)?.code == .status(404) && "\(error)".contains("HTTP 404")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
