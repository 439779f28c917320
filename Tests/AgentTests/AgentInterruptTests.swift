import Agent
import ConnectorAPI
import Foundation
import Testing

/// The agent taking on connector interrupts from a real mock-api: it reports each (triggered_at set) and restarts,
/// reboots (emulated) or shuts down, recording the events a device would.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct AgentInterruptTests {
    /// A snapshot whose host has been up for a long time: after an emulated reboot the agent reports less.
    static let longUp: SnapshotSource = { counters in
        var snapshot = countersOnlySnapshot(counters)
        snapshot.uptimeTotalMs = 50_000_000
        snapshot.uptimeIdleMs = 100_000_000
        return snapshot
    }

    private func start(_ mock: LoopbackMock, stateDirectory: String = temporaryStateDirectory()) async throws -> (connector: String, agent: Agent, running: Task<Void, Never>, state: String) {
        let connector = try await mock.createConnector()
        _ = try await mock.createSite(connector: connector)
        let configuration = testConfiguration(mock: mock, connector: connector, stateDirectory: stateDirectory)
        let agent = try Agent(configuration: configuration, logger: quietLogger, snapshotSource: Self.longUp)
        let running = launch(agent)
        #expect(try await eventually { try await mock.events(connector: connector).map(\.kind) == ["Init", "Reconcile"] })
        return (connector, agent, running, stateDirectory)
    }

    private func interrupts(_ mock: LoopbackMock, _ connector: String) async throws -> [[String: Any]] {
        try await mock.call("GET", "/connectors/\(connector)/interrupts") as? [[String: Any]] ?? []
    }

    @Test("restart: reported, Leave, run() ends asking for a restart; the next process keeps the spool and does not take it on again")
    func restart() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let (connector, agent, running, state) = try await start(mock)
        try await mock.call("POST", "/connectors/\(connector)/interrupts", ["restart": [String: Any]()])
        #expect(await eventually { agent.requestedExit == .restart })
        await running.value
        #expect(try await interrupts(mock, connector).first?["triggered_at"] is String, "reported before acting")
        #expect(try await mock.events(connector: connector).map(\.kind) == ["Init", "Reconcile", "Leave"])
        #expect(try agent.spooledCount() == 0, "flushed before ending")

        // What the re-exec'd process does: the same state directory, so the stamps carry on from the spool.
        var configuration = testConfiguration(mock: mock, connector: connector, stateDirectory: state)
        configuration.checkinInterval = 0.1
        let again = try Agent(configuration: configuration, logger: quietLogger, snapshotSource: countersOnlySnapshot)
        let rerun = launch(again)
        #expect(try await eventually { try await mock.events(connector: connector).map(\.kind) == ["Init", "Reconcile", "Leave", "Init", "Reconcile"] })
        try await Task.sleep(for: .milliseconds(500))
        #expect(again.requestedExit == nil, "the triggered interrupt is not taken on again")
        again.stop()
        await rerun.value
        let events = try await mock.events(connector: connector)
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.stamp < $1.stamp })
        await mock.stop()
    }

    @Test("reboot: Leave, the site again, Init, Reconcile, uptime from zero; the agent keeps running")
    func reboot() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let (connector, agent, running, _) = try await start(mock)
        let before = try #require(try await mock.latestSnapshots(connector: connector, limit: 1).first)
        #expect(before["uptime_total_ms"] as? Int == 50_000_000)
        try await mock.call("POST", "/connectors/\(connector)/interrupts", ["reboot": [String: Any]()])
        #expect(try await eventually { try await mock.events(connector: connector).map(\.kind) == ["Init", "Reconcile", "Leave", "Init", "Reconcile"] })
        #expect(try await interrupts(mock, connector).first?["triggered_at"] is String)
        #expect(agent.reconciledConfig != nil, "the site is applied again")
        #expect(try await eventually {
            let latest = try await mock.latestSnapshots(connector: connector, limit: 1).first
            return (latest?["uptime_total_ms"] as? Int).map { $0 < 60_000 } == true && (latest?["uptime_idle_ms"] as? Int).map { $0 < 120_000 } == true
        }, "uptime counts from the reboot")
        #expect(agent.requestedExit == nil)
        // A new interrupt is accepted now that the reboot is triggered, and the agent still takes interrupts on.
        try await mock.call("POST", "/connectors/\(connector)/interrupts", ["shutdown": [String: Any]()])
        await running.value
        #expect(agent.requestedExit == .shutdown)
        #expect(try await mock.events(connector: connector).map(\.kind).suffix(2) == ["Reconcile", "Leave"])
        await mock.stop()
    }

    @Test("shutdown with purge: reported, Leave, run() ends asking not to be restarted")
    func shutdown() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let (connector, agent, running, _) = try await start(mock)
        try await mock.call("POST", "/connectors/\(connector)/interrupts", ["shutdown": ["purge": true]])
        await running.value
        #expect(agent.requestedExit == .shutdown)
        #expect(try await interrupts(mock, connector).first?["triggered_at"] is String)
        #expect(try await mock.events(connector: connector).map(\.kind) == ["Init", "Reconcile", "Leave"])
        #expect(try agent.spooledCount() == 0)
        await mock.stop()
    }
}
