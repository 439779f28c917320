import Agent
import ConnectorAPI
import Foundation
import Testing

/// The agent against a real mock-api on loopback: lifecycle, outage and recovery, restart, reclaim.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct AgentLifecycleTests {
    @Test("Init, Reconcile (again when the config changes), snapshots, Leave arrive in order with increasing (t, n)")
    func lifecycleInOrder() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        let site = try await mock.createSite(connector: connector)
        var configuration = testConfiguration(
            mock: mock, connector: connector, stateDirectory: temporaryStateDirectory())
        configuration.snapshotInterval = 0.2
        let started = Date().timeIntervalSince1970
        // The real collector of this host: the snapshots must pass the mock's validation of the documented schema.
        let agent = try Agent(configuration: configuration, logger: quietLogger)
        let running = launch(agent)

        #expect(
            try await eventually { try await mock.events(connector: connector).map(\.kind) == ["Init", "Reconcile"] })
        try await mock.call("POST", "/sites/\(site)/lans", mock.lanBody(physport: 3, third: 2, name: "lan2"))
        #expect(
            try await eventually {
                try await mock.events(connector: connector).map(\.kind) == ["Init", "Reconcile", "Reconcile"]
            })
        #expect(agent.reconciledConfig?.lans.count == 2)
        #expect(try await eventually { try await mock.snapshots(connector: connector).count >= 3 })
        agent.stop()
        await running.value
        let ended = Date().timeIntervalSince1970

        let events = try await mock.events(connector: connector)
        #expect(events.map(\.kind) == ["Init", "Reconcile", "Reconcile", "Leave"])
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.stamp < $1.stamp })
        #expect(events.allSatisfy { $0.stamp.t >= started && $0.stamp.t <= ended })
        let snapshots = try await mock.snapshots(connector: connector)
        #expect(zip(snapshots, snapshots.dropFirst()).allSatisfy { $0.t < $1.t })
        // Init first, Leave last, snapshots in between.
        #expect(snapshots.allSatisfy { $0.t > events.first!.stamp.t && $0.t < events.last!.stamp.t })
        let latest = try #require(try await mock.latestSnapshots(connector: connector, limit: 1).first)
        #expect(latest["v"] as? String == VConnectorVersion.current)
        #expect(
            latest["memory_total_bytes"] != nil || latest["cpu_count"] != nil,
            "a real snapshot of this host, not just counters")
        let statistics = agent.statistics
        #expect(statistics.recorded == UInt64(events.count + snapshots.count))
        #expect(statistics.delivered == statistics.recorded)
        #expect(try agent.spooledCount() == 0)
        let connectorObject = try await mock.call("GET", "/connectors/\(connector)") as? [String: Any]
        #expect(connectorObject?["last_heartbeat"] is String, "ingest counts as a heartbeat")
        await mock.stop()
    }

    @Test("an outage of many intervals, then recovery: every record delivered exactly once, in order")
    func outageThenRecovery() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        var configuration = testConfiguration(
            mock: mock, connector: connector, stateDirectory: temporaryStateDirectory())
        configuration.batchSize = 7
        let agent = try Agent(configuration: configuration, logger: quietLogger, snapshotSource: countersOnlySnapshot)
        let running = launch(agent)
        #expect(try await eventually { try await mock.snapshots(connector: connector).count >= 3 })

        await mock.stop()
        let recordedBeforeOutage = agent.statistics.recorded
        try await Task.sleep(for: .seconds(2))  // 40 snapshot intervals without an API
        let backlog = try agent.spooledCount()
        #expect(agent.statistics.recorded >= recordedBeforeOutage + 20)
        #expect(backlog >= 20, "the agent kept recording into the spool during the outage")
        #expect(agent.statistics.counters.transmitFailures >= 3, "retried with backoff and counted each failure")

        try await mock.start()
        #expect(try await eventually { try agent.spooledCount() == 0 })
        agent.stop()
        await running.value

        let statistics = agent.statistics
        let events = try await mock.events(connector: connector)
        let snapshots = try await mock.snapshots(connector: connector)
        #expect(events.map(\.kind) == ["Init", "Leave"])
        #expect(UInt64(events.count + snapshots.count) == statistics.recorded, "nothing lost, nothing extra")
        #expect(statistics.delivered == statistics.recorded)
        #expect(statistics.counters.reclaimedPaths == 0 && statistics.rejected == 0)
        // In order: by recording time, the receive times never go backwards (the backlog was sent oldest first).
        let arrivals = (events.map { ($0.stamp.t, $0.stamp.n, $0.a) } + snapshots.map { ($0.t, UInt64(0), $0.a) })
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        #expect(zip(arrivals, arrivals.dropFirst()).allSatisfy { $0.2 <= $1.2 })
        // The backlog went out in batches: several records share one receive time.
        #expect(Set(arrivals.map(\.2)).count < arrivals.count - backlog / 2)
        let latest = try #require(try await mock.latestSnapshots(connector: connector, limit: 1).first)
        #expect((latest["count_transmit_failures"] as? Int ?? 0) >= 3, "snapshots report the real failure counter")
    }

    @Test(
        "a restart with the spool intact delivers the old backlog and never reuses (t, n), even with the clock stepped back a minute"
    )
    func restartKeepsSpoolAndStamps() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        await mock.stop()  // the API is down while the first run records
        let state = temporaryStateDirectory()
        let configuration = testConfiguration(mock: mock, connector: connector, stateDirectory: state)

        let first = try Agent(configuration: configuration, logger: quietLogger, snapshotSource: countersOnlySnapshot)
        let firstRun = launch(first)
        #expect(try await eventually { try first.spooledCount() >= 10 })
        first.stop(.abrupt)  // as a SIGKILL: no Leave, no flush
        await firstRun.value
        let firstRecorded = first.statistics.recorded
        let spooled = try first.spooledCount()
        #expect(spooled == Int(firstRecorded), "everything recorded is still spooled")

        // State dir 0700, spool files 0600.
        #expect(mode(state) == 0o700)
        #expect(mode(state + "/spool.sqlite") == 0o600)
        #expect(mode(state + "/spool.sqlite-wal") == 0o600)

        try await mock.start()
        // A minute back: within Stamp.clockStepTolerance, so t stands still rather than following the clock.
        let minuteAgo = Date().timeIntervalSince1970 - 60
        let second = try Agent(
            configuration: configuration, logger: quietLogger, clock: { minuteAgo },
            snapshotSource: countersOnlySnapshot)
        let secondRun = launch(second)
        #expect(try await eventually { try second.spooledCount() == 0 && second.statistics.recorded >= 5 })
        second.stop()
        await secondRun.value

        let events = try await mock.events(connector: connector)
        let snapshots = try await mock.snapshots(connector: connector)
        #expect(events.map(\.kind) == ["Init", "Init", "Leave"])
        #expect(UInt64(events.count + snapshots.count) == firstRecorded + second.statistics.recorded)
        // Every stamp is unique and the second run's all come after the first run's.
        let firstInit = events[0].stamp, secondInit = events[1].stamp
        let firstSnapshots = snapshots.prefix(Int(firstRecorded) - 1),
            secondSnapshots = snapshots.dropFirst(Int(firstRecorded) - 1)
        let firstLastT = try #require(firstSnapshots.last?.t)
        #expect(firstLastT > minuteAgo + 30, "the first run used the real clock")
        #expect(
            !secondSnapshots.isEmpty && secondSnapshots.allSatisfy { $0.t > firstLastT },
            "snapshots keep their t unique")
        #expect(firstInit < secondInit && secondInit < events[2].stamp)
        #expect(secondInit >= Stamp(t: firstLastT, n: 1), "the clock went back a minute; the stamps did not")
        #expect(Set(snapshots.map(\.t)).count == snapshots.count)
    }

    @Test("a record the API refuses as invalid (413 here) is dropped alone and does not block the others")
    func refusedRecordsDoNotBlockTheSpool() async throws {
        // Real snapshots of this host are several KB; events are ~60 bytes. A 2 KB body limit refuses every snapshot.
        let mock = try await LoopbackMock.start(maxBodyBytes: 2048)
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        var configuration = testConfiguration(
            mock: mock, connector: connector, stateDirectory: temporaryStateDirectory())
        configuration.snapshotInterval = 0.1
        let agent = try Agent(configuration: configuration, logger: quietLogger)
        let running = launch(agent)
        #expect(await eventually { agent.statistics.rejected >= 3 })
        agent.stop()
        await running.value

        let statistics = agent.statistics
        #expect(
            try await mock.events(connector: connector).map(\.kind) == ["Init", "Leave"],
            "the events behind refused snapshots went through")
        #expect(try await mock.snapshots(connector: connector).isEmpty)
        #expect(statistics.rejected == statistics.recorded - 2, "every snapshot refused, alone")
        #expect(statistics.delivered == 2)
        #expect(try agent.spooledCount() == 0)
    }

    @Test("a shutdown against an API that never answers ends at --shutdown-timeout, keeping the records spooled")
    func shutdownIsBoundedWhenTheAPIHangs() async throws {
        let silent = try SilentListener()
        defer { silent.close() }
        var configuration = AgentConfiguration(
            apiBase: "http://127.0.0.1:\(silent.port)/client/v4", accountID: "acc1", connectorID: "c1",
            apiToken: "t", stateDirectory: temporaryStateDirectory()
        )
        configuration.snapshotInterval = 0.05
        configuration.requestTimeout = 60
        configuration.shutdownTimeout = 0.5
        let agent = try Agent(configuration: configuration, logger: quietLogger, snapshotSource: countersOnlySnapshot)
        let running = launch(agent)
        try await Task.sleep(for: .milliseconds(300))
        let stopping = ContinuousClock.now
        agent.stop()
        await running.value
        let took = ContinuousClock.now - stopping
        #expect(took < .seconds(3), "stopped after \(took)")
        #expect(
            try agent.spooledCount() == Int(agent.statistics.recorded),
            "nothing acknowledged, nothing lost: Leave included")
        #expect(agent.statistics.delivered == 0)
    }

    @Test("under a tiny spool limit the oldest records are reclaimed and the counters say so")
    func reclaimUnderTinyLimit() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        await mock.stop()
        var configuration = testConfiguration(
            mock: mock, connector: connector, stateDirectory: temporaryStateDirectory())
        configuration.spoolLimit = 5
        let agent = try Agent(configuration: configuration, logger: quietLogger, snapshotSource: countersOnlySnapshot)
        let running = launch(agent)
        var largest = 0
        _ = try await eventually(within: 1.5) {
            largest = max(largest, try agent.spooledCount())
            return false
        }
        #expect(largest == 5, "the spool never held more than its limit")
        let reclaimed = agent.statistics.counters.reclaimedPaths
        #expect(reclaimed >= 15)

        try await mock.start()
        #expect(try await eventually { try agent.spooledCount() == 0 })
        let reclaimedAtRecovery = agent.statistics.counters.reclaimedPaths
        #expect(
            try await eventually {
                let latest = try await mock.latestSnapshots(connector: connector, limit: 1).first
                return latest?["count_reclaimed_paths"] as? Int == Int(reclaimedAtRecovery)
            }, "a snapshot taken after the last reclaim carries the final counter")
        agent.stop()
        await running.value

        let statistics = agent.statistics
        #expect(statistics.counters.reclaimedPaths == reclaimedAtRecovery, "nothing reclaimed once the API was back")
        #expect(statistics.counters.reclaimFailures == 0 && statistics.counters.recordFailed == 0)
        let events = try await mock.events(connector: connector)
        let snapshots = try await mock.snapshots(connector: connector)
        // Everything recorded was delivered or reclaimed; a record reclaimed while its batch was in flight was both.
        #expect(UInt64(events.count + snapshots.count) == statistics.delivered)
        #expect(
            statistics.recorded == statistics.delivered + statistics.counters.reclaimedPaths
                - statistics.reclaimedInFlight)
        #expect(events.map(\.kind) == ["Leave"], "Init was among the oldest and was reclaimed")
        let latest = try #require(try await mock.latestSnapshots(connector: connector, limit: 1).first)
        #expect(latest["count_reclaimed_paths"] as? Int == Int(statistics.counters.reclaimedPaths))
        #expect((latest["count_transmit_failures"] as? Int ?? 0) > 0)
        // Only the newest survived: each delivered snapshot was recorded when at least `reclaimed - limit`
        // records had already been reclaimed (an old one would carry a smaller counter).
        let delivered = try await mock.latestSnapshots(connector: connector, limit: 1000)
        #expect(delivered.count == snapshots.count)
        #expect(delivered.allSatisfy { ($0["count_reclaimed_paths"] as? Int ?? -1) >= Int(reclaimed) - 5 })
    }
}

/// A loopback TCP port that accepts connections (the kernel's backlog) and never answers.
final class SilentListener {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw MockCallError(description: "cannot listen on loopback: \(errno)") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(fd) }
}
