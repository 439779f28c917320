import Agent
import ConnectorAPI
import Crypto
import Foundation
import Synchronization
import Testing

/// Upgrades offered through mock-api: only inside the interrupt window (by an injected clock), a verified
/// download, the new `v` afterwards; a bad hash keeps the running version.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct AgentUpgradeTests {
    @Test("outside the window nothing starts; once the clock is inside: StartUpgrade{url}, FinishUpgradeSuccess, the new v, kept across restarts")
    func upgradeWaitsForTheWindowThenInstalls() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        let state = temporaryStateDirectory()
        let configuration = testConfiguration(mock: mock, connector: connector, stateDirectory: state)
        let now = Mutex(mondayUTC(hour: 12))  // outside 00:00-04:00
        let agent = try Agent(configuration: configuration, logger: quietLogger, windowClock: { now.withLock { $0 } }, snapshotSource: countersOnlySnapshot)
        let running = launch(agent)
        let bundle = Data("vconnector 99.1.0 bundle \(UUID())".utf8)
        let offered = try await mock.offerUpgrade(connector: connector, version: "99.1.0", bytes: bundle)

        try await Task.sleep(for: .seconds(1.5))  // ~7 check-ins with the window closed
        #expect(try await mock.events(connector: connector).map(\.kind) == ["Init"], "no upgrade starts outside the window")
        #expect(agent.runningVersion == VConnectorVersion.current)

        now.withLock { $0 = mondayUTC(hour: 1) }
        #expect(try await eventually { try await mock.events(connector: connector).map(\.kind) == ["Init", "StartUpgrade", "FinishUpgradeSuccess"] })
        #expect(agent.runningVersion == "99.1.0")
        #expect(try await eventually {
            (try await mock.latestSnapshots(connector: connector, limit: 1).first?["v"] as? String) == "99.1.0"
        }, "later snapshots carry the new version")
        agent.stop()
        await running.value

        let events = try await mock.fullEvents(connector: connector)
        #expect(events.compactMap { ($0["e"] as? [String: Any])?["k"] as? String } == ["Init", "StartUpgrade", "FinishUpgradeSuccess", "Leave"])
        let start = try #require(events.first { ($0["e"] as? [String: Any])?["k"] as? String == "StartUpgrade" })
        #expect((start["e"] as? [String: Any])?["url"] as? String == offered.url)
        #expect(start["v"] as? String == VConnectorVersion.current, "the upgrade starts on the old version")
        #expect(events.last?["v"] as? String == "99.1.0", "later events carry the new version")
        #expect(FileManager.default.contents(atPath: state + "/versions/99.1.0/bundle") == bundle)

        // A restart runs the installed version and does not upgrade again.
        let restarted = try Agent(configuration: configuration, logger: quietLogger, windowClock: { mondayUTC(hour: 1) }, snapshotSource: countersOnlySnapshot)
        let restartedRun = launch(restarted)
        #expect(restarted.runningVersion == "99.1.0")
        try await Task.sleep(for: .seconds(1))
        restarted.stop()
        await restartedRun.value
        #expect(try await mock.events(connector: connector).map(\.kind) == ["Init", "StartUpgrade", "FinishUpgradeSuccess", "Leave", "Init", "Leave"])
    }

    @Test("a bad hash is FinishUpgradeFailure, keeps the running version, installs nothing and is not retried in a loop")
    func badHashKeepsTheRunningVersion() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        let state = temporaryStateDirectory()
        let agent = try Agent(
            configuration: testConfiguration(mock: mock, connector: connector, stateDirectory: state), logger: quietLogger,
            windowClock: { mondayUTC(hour: 2) }, snapshotSource: countersOnlySnapshot
        )
        let running = launch(agent)
        _ = try await mock.offerUpgrade(connector: connector, version: "99.2.0", bytes: Data("tampered".utf8), sha256: String(repeating: "ab", count: 32))
        #expect(try await eventually { try await mock.events(connector: connector).map(\.kind) == ["Init", "StartUpgrade", "FinishUpgradeFailure"] })
        try await Task.sleep(for: .seconds(1))  // several check-ins: the same bad offer is not tried again
        // A download error fails the same way: an offer whose URL nothing answers.
        try await mock.call("PUT", "/connectors/\(connector)/upgrade", [
            "version": "99.3.0", "url": "http://127.0.0.1:1/bundle", "sha256": String(repeating: "cd", count: 32),
        ])
        #expect(try await eventually { try await mock.events(connector: connector).map(\.kind).count == 5 })
        agent.stop()
        await running.value

        #expect(try await mock.events(connector: connector).map(\.kind) == [
            "Init", "StartUpgrade", "FinishUpgradeFailure", "StartUpgrade", "FinishUpgradeFailure", "Leave",
        ])
        #expect(agent.runningVersion == VConnectorVersion.current)
        #expect(try await mock.fullEvents(connector: connector).allSatisfy { $0["v"] as? String == VConnectorVersion.current })
        let versions = try FileManager.default.contentsOfDirectory(atPath: state + "/versions")
        #expect(versions.isEmpty, "nothing installed, no download left behind: \(versions)")
    }

    @Test("a stop during a download that never ends is prompt: FinishUpgradeFailure, Leave, nothing installed")
    func stopDuringADownload() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let silent = try SilentListener()
        defer { silent.close() }
        let connector = try await mock.createConnector()
        let state = temporaryStateDirectory()
        let agent = try Agent(
            configuration: testConfiguration(mock: mock, connector: connector, stateDirectory: state), logger: quietLogger,
            windowClock: { mondayUTC(hour: 2) }, snapshotSource: countersOnlySnapshot
        )
        let running = launch(agent)
        try await mock.call("PUT", "/connectors/\(connector)/upgrade", [
            "version": "99.4.0", "url": "http://127.0.0.1:\(silent.port)/bundle", "sha256": String(repeating: "ef", count: 32),
        ])
        #expect(try await eventually { try await mock.events(connector: connector).map(\.kind) == ["Init", "StartUpgrade"] })
        let stopping = ContinuousClock.now
        agent.stop()
        await running.value
        #expect(ContinuousClock.now - stopping < .seconds(3), "the download (timeout 300 s) did not hold up the stop")
        #expect(try await mock.events(connector: connector).map(\.kind) == ["Init", "StartUpgrade", "FinishUpgradeFailure", "Leave"])
        #expect(agent.runningVersion == VConnectorVersion.current)
        #expect(try FileManager.default.contentsOfDirectory(atPath: state + "/versions").isEmpty)
    }

    @Test("a cloudflared tunnel config is written (token 0600) and ConfigureCloudflaredTunnel recorded once per change")
    func cloudflaredTunnelOncePerChange() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        let state = temporaryStateDirectory()
        let configuration = testConfiguration(mock: mock, connector: connector, stateDirectory: state)
        let agent = try Agent(configuration: configuration, logger: quietLogger, snapshotSource: countersOnlySnapshot)
        let running = launch(agent)
        var tunnel: [String: Any] = ["tunnel_id": "c1744f8b-faa1-48a4-9e5c-02ac921467fa", "token": "tunnel-secret-1"]
        try await mock.call("PUT", "/connectors/\(connector)/cloudflared_tunnel", tunnel)
        #expect(try await eventually { try await mock.events(connector: connector).map(\.kind) == ["Init", "ConfigureCloudflaredTunnel"] })
        try await Task.sleep(for: .seconds(1))
        #expect(try await mock.events(connector: connector).count == 2, "an unchanged config is not configured again")
        #expect(try String(contentsOfFile: state + "/cloudflared/token", encoding: .utf8) == "tunnel-secret-1")
        #expect(mode(state + "/cloudflared/token") == 0o600)
        tunnel["ingress"] = [["hostname": "app.example.com", "service": "http://10.0.1.10:8080"]]
        try await mock.call("PUT", "/connectors/\(connector)/cloudflared_tunnel", tunnel)
        #expect(try await eventually { try await mock.events(connector: connector).count == 3 })
        let yaml = try String(contentsOfFile: state + "/cloudflared/config.yml", encoding: .utf8)
        #expect(yaml.contains("app.example.com") && yaml.contains("http_status:404") && !yaml.contains("tunnel-secret"))
        agent.stop()
        await running.value

        let restarted = try Agent(configuration: configuration, logger: quietLogger, snapshotSource: countersOnlySnapshot)
        let restartedRun = launch(restarted)
        try await Task.sleep(for: .seconds(1))
        restarted.stop()
        await restartedRun.value
        #expect(try await mock.events(connector: connector).map(\.kind) == [
            "Init", "ConfigureCloudflaredTunnel", "ConfigureCloudflaredTunnel", "Leave", "Init", "Leave",
        ], "a restart does not configure the same tunnel again")
    }
}

/// 2026-11-23 (a Monday) at `hour`:30 UTC. New connectors' window: every day from 00:00 UTC for 4 h.
func mondayUTC(hour: Int) -> Date {
    Date(timeIntervalSince1970: 1_795_392_000 + 3600 * Double(hour) + 1800)
}

extension LoopbackMock {
    /// Uploads `bytes` as the connector's bundle and offers it as `version` (with its real hash unless `sha256` is given).
    func offerUpgrade(connector: String, version: String, bytes: Data, sha256 override: String? = nil) async throws -> UpgradeOffer {
        let uploaded = try await putRaw("/connectors/\(connector)/upgrade/bundle", bytes)
        let sha256 = try #require(uploaded["sha256"] as? String)
        #expect(sha256 == SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
        let url = "http://127.0.0.1:\(port)" + (try #require(uploaded["path"] as? String))
        let offer = UpgradeOffer(version: version, url: url, sha256: override ?? sha256)
        try await call("PUT", "/connectors/\(connector)/upgrade", ["version": offer.version, "url": offer.url, "sha256": offer.sha256])
        return offer
    }
}
