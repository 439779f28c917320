@testable import Agent
import ConnectorAPI
import Foundation
import TestSupport
import Testing

/// An upgrade offer's `version` is the API's data and later names a directory: hostile versions are refused
/// where the offer is read (nothing downloaded) and again where the directory is made.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct UpgradeVersionTrustTests {
    static let hostile = [
        "..", ".", "a/../../x", "9/../../../../tmp/x", "/abs", "1.0\n2.0", "1.0\r", "1\0", "$(reboot)", "`id`",
        String(repeating: "1", count: 10_000), "1.0\u{2024}1", "1.0\u{202E}1", "１.0", "", " 1.0", "-rf", ".hidden", "1.0/", "a b",
    ]

    @Test("the grammar: 1-64 ASCII letters, digits, . _ + -, no leading . or -, never . or ..")
    func grammar() {
        for good in ["1.0.0", "2.0.0-rc1", "1.2+build.5", "v9_1", "99.1.0", String(repeating: "9", count: 64)] {
            #expect(VersionName.problem(good) == nil, "\(good)")
        }
        for bad in Self.hostile + [String(repeating: "9", count: 65)] {
            #expect(VersionName.problem(bad) != nil, "\(TextRules.printable(bad))")
        }
        #expect(VersionName.problem("1.0\n2.0")?.contains("a newline (U+000A)") == true, "the reason names the character, not the raw text")
        #expect(VersionName.problem("1.0\u{2024}1")?.contains("U+2024") == true)
    }

    @Test("the planner refuses a hostile version before anything else, even a newer-looking one inside the window")
    func plannerRefuses() {
        let connector = Connector(
            id: "c", activated: true, interruptWindowDaysOfWeek: ["Monday"], interruptWindowDurationHours: 4,
            interruptWindowEmbargoDates: [], interruptWindowHourOfDay: 0, lastUpdated: "", notes: "", timezone: "UTC"
        )
        for bad in Self.hostile {
            let offer = UpgradeOffer(version: bad, url: "http://127.0.0.1:1/b", sha256: String(repeating: "0", count: 64))
            guard case .invalidVersion = UpgradePlanner.decide(offer: offer, running: "0.1", connector: connector, now: mondayUTC(hour: 1)) else {
                Issue.record("\(TextRules.printable(bad)) was not refused")
                continue
            }
        }
        let good = UpgradeOffer(version: "99.0", url: "http://127.0.0.1:1/b", sha256: String(repeating: "0", count: 64))
        #expect(UpgradePlanner.decide(offer: good, running: "0.1", connector: connector, now: mondayUTC(hour: 1)) == .start)
    }

    @Test("VersionStore never writes or chmods outside versions/: hostile names and a planted symlink are refused")
    func storeStaysInside() throws {
        let sandbox = TestScratch.path("version-sandbox")
        let state = sandbox + "/a/b/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let outside = sandbox + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let store = try VersionStore(stateDirectory: state)
        let before = try tree(sandbox)

        for bad in Self.hostile {
            let staged = store.stagingPath
            try Data("bundle".utf8).write(to: URL(fileURLWithPath: staged))
            #expect(throws: (any Error).self, "\(TextRules.printable(bad))") {
                try store.install(staged: staged, offer: UpgradeOffer(version: bad, url: "u", sha256: "s"))
            }
            unlink(staged)
        }
        #expect(try tree(sandbox) == before, "nothing was created anywhere")
        #expect(store.current() == nil)

        // A symlink planted where a version's directory would go, pointing outside.
        try FileManager.default.createSymbolicLink(atPath: store.directory + "/7.0", withDestinationPath: outside)
        let staged = store.stagingPath
        try Data("bundle".utf8).write(to: URL(fileURLWithPath: staged))
        #expect(throws: (any Error).self) { try store.install(staged: staged, offer: UpgradeOffer(version: "7.0", url: "u", sha256: "s")) }
        unlink(staged)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty, "no bundle went through the link")
        #expect((try FileManager.default.attributesOfItem(atPath: outside)[.posixPermissions] as? Int) == 0o755, "the link's target was not chmod'ed")

        // A good version installs where it should.
        try Data("bundle".utf8).write(to: URL(fileURLWithPath: staged))
        let installed = try store.install(staged: staged, offer: UpgradeOffer(version: "7.1", url: "u", sha256: "s"))
        #expect(installed.version == "7.1" && FileManager.default.contents(atPath: store.directory + "/7.1/bundle") == Data("bundle".utf8))
        #expect(store.current()?.version == "7.1")
    }

    @Test("the agent refuses a hostile offer at once: no download, no StartUpgrade, one warning with the version escaped")
    func agentRefusesWithoutDownloading() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        let bundleServer = try ScriptedHTTPServer { _, _ in .send("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nbundle") }
        defer { bundleServer.stop() }
        let logs = CapturedLogs()
        let state = temporaryStateDirectory()
        let agent = try Agent(
            configuration: testConfiguration(mock: mock, connector: connector, stateDirectory: state), logger: logs.logger(),
            windowClock: { mondayUTC(hour: 1) }, snapshotSource: countersOnlySnapshot
        )
        try await agent.checkIn()  // the connector (and so its window) is known
        #expect(agent.latestConnector != nil)
        let hostile = "99/../../../../tmp/x\ninjected"
        let offer = UpgradeOffer(version: hostile, url: bundleServer.url + "/bundle", sha256: String(repeating: "0", count: 64))
        await agent.considerUpgrade(offer)
        await agent.considerUpgrade(offer)
        #expect(bundleServer.requests.isEmpty, "nothing was downloaded")
        #expect(try agent.spooledCount() == 0, "no StartUpgrade was recorded")
        let warnings = logs.lines(.warning, containing: "upgrade offer refused")
        #expect(warnings.count == 1, "logged once: \(warnings)")
        #expect(warnings.first?.contains("\\u{a}injected") == true && !logs.all.contains { $0.contains("\n") }, "the newline is escaped")
        #expect(!FileManager.default.fileExists(atPath: state + "/versions/99"))
        let good = UpgradeOffer(version: "99.0", url: bundleServer.url + "/bundle", sha256: String(repeating: "0", count: 64))
        await agent.considerUpgrade(good)
        #expect(bundleServer.requests.count == 1, "a good offer in the same situation is downloaded (so the test can fail)")
    }

    private func tree(_ root: String) throws -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).sorted()
    }
}
