import Foundation
import Testing

@testable import Agent

/// The state dir on a full file system (a real tmpfs, filled): delivery of what is spooled goes on, new records are
/// counted in count_record_failed with one warning per episode, and everything resumes when space returns.
@Suite(
    .serialized, .timeLimit(.minutes(2)),
    .enabled(if: TmpfsMount.isAvailable, "needs root and permission to mount a tmpfs"))
struct SpoolDiskFullTests {
    @Test(
        "disk full: spooled records are delivered, new ones counted and lost, one warning; space back: recording resumes"
    )
    func fullDiskAndRecovery() async throws {
        let disk = try TmpfsMount(bytes: 8 << 20)
        defer { disk.unmount() }
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        var configuration = testConfiguration(mock: mock, connector: connector, stateDirectory: disk.path + "/state")
        configuration.snapshotInterval = 0.05
        let logs = CapturedLogs()
        let agent = try Agent(
            configuration: configuration, logger: logs.logger(level: .info), snapshotSource: countersOnlySnapshot)
        let running = launch(agent)
        #expect(try await eventually { try await mock.snapshots(connector: connector).count >= 3 })

        // The API goes down and a backlog builds; then the disk fills.
        await mock.stop()
        #expect(try await eventually { try agent.spooledCount() >= 10 })
        let filler = disk.fill()
        #expect(await eventually { agent.statistics.counters.recordFailed >= 5 }, "appends fail on the full disk")
        let spooledWhenFull = try agent.spooledCount()
        #expect(spooledWhenFull >= 10)

        // The API comes back while the disk is still full: what was spooled is delivered.
        let deliveredBefore = agent.statistics.delivered
        try await mock.start()
        #expect(try await eventually { try agent.spooledCount() == 0 }, "the backlog drains on a full disk")
        #expect(agent.statistics.delivered >= deliveredBefore + UInt64(spooledWhenFull))
        #expect(agent.statistics.counters.recordFailed >= 5)
        #expect(
            logs.lines(.warning, containing: "cannot store new records").count == 1,
            "one warning per episode: \(logs.lines(.warning, containing: ""))")

        // Space returns: recording resumes without a restart, and the counter reaches the API in a snapshot.
        unlink(filler)
        let failed = agent.statistics.counters.recordFailed
        #expect(
            try await eventually {
                let latest = try await mock.latestSnapshots(connector: connector, limit: 1).first
                return (latest?["count_record_failed"] as? Int ?? 0) >= Int(failed)
            }, "a snapshot recorded after the disk freed up carries count_record_failed")
        #expect(logs.lines(.notice, containing: "the spool stores records again").count == 1)
        agent.stop()
        await running.value
        #expect(try await mock.events(connector: connector).map(\.kind).last == "Leave")
        #expect(try agent.spooledCount() == 0)
    }
}
