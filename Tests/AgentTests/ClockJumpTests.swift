@testable import Agent
import Foundation
import Synchronization
import Testing

/// The stamp rule under clock steps: a small step back is waited out (t stands still, (t, n) keeps growing); a
/// clock that ran ahead and was corrected does not pin later stamps in the future.
@Suite struct ClockJumpTests {
    @Test("a step back within the tolerance: t stands still and (t, n) keeps growing")
    func smallStepBack() {
        let last = Stamp(t: 1000, n: 4)
        #expect(Stamp.event(after: last, now: 1000 - 60) == Stamp(t: 1000, n: 5))
        #expect(Stamp.snapshot(after: last, now: 1000 - 60) == Stamp(t: 1000 + Stamp.snapshotStep, n: 0))
        #expect(!Stamp.restartsFromClock(after: last, now: 1000 - Stamp.clockStepTolerance))
    }

    @Test("past the tolerance t follows the clock again; the event's n keeps counting so it cannot repeat a stamp")
    func largeStepBack() {
        let last = Stamp(t: 100_000, n: 4)
        let now = 100_000 - Stamp.clockStepTolerance - 1
        #expect(Stamp.restartsFromClock(after: last, now: now))
        #expect(Stamp.event(after: last, now: now) == Stamp(t: now, n: 5))
        #expect(Stamp.snapshot(after: last, now: now) == Stamp(t: now, n: 0))
    }

    @Test("through the spool with an injected clock: +1 day, then back; afterwards t follows the real clock")
    func forwardDayThenBack() throws {
        let spool = try Spool(directory: temporaryStateDirectory(), limit: 10_000)
        let start = 1_800_000_000.0
        var real = start
        var stamps: [(kind: RecordKind, stamp: Stamp, now: Double)] = []
        var restarts = 0
        func record(_ kind: RecordKind, clock: Double) throws {
            let appended = try spool.append(kind, now: clock) { _ in Data("{}".utf8) }
            if appended.clockBehind != nil { restarts += 1 }
            stamps.append((kind, appended.stamp, real))
        }
        // 10 s of normal time, one snapshot and one event a second.
        for _ in 0..<10 { real += 1; try record(.snapshot, clock: real); try record(.event, clock: real) }
        // The clock jumps a day ahead for 10 s.
        for _ in 0..<10 { real += 1; try record(.snapshot, clock: real + 86_400); try record(.event, clock: real + 86_400) }
        // It is corrected: back to the real time.
        let corrected = stamps.count
        for _ in 0..<10 { real += 1; try record(.snapshot, clock: real); try record(.event, clock: real) }

        #expect(restarts == 1, "one restart from the clock, at the first record after the correction")
        for entry in stamps[corrected...] {
            #expect(abs(entry.stamp.t - entry.now) < 1, "t \(entry.stamp.t) follows the real clock \(entry.now) after the correction")
        }
        // Between restarts the stamps grow; across the whole run no (t, n) repeats for events, no t for snapshots.
        for segment in [stamps[..<corrected], stamps[corrected...]] {
            let events = segment.filter { $0.kind == .event }.map(\.stamp)
            let snapshots = segment.filter { $0.kind == .snapshot }.map(\.stamp.t)
            #expect(zip(events, events.dropFirst()).allSatisfy { $0 < $1 })
            #expect(zip(snapshots, snapshots.dropFirst()).allSatisfy { $0 < $1 })
        }
        let events = stamps.filter { $0.kind == .event }.map(\.stamp)
        #expect(Set(events).count == events.count)
        let snapshots = stamps.filter { $0.kind == .snapshot }.map(\.stamp.t)
        #expect(Set(snapshots).count == snapshots.count)
        #expect(try spool.lastStamp()?.t == real, "the persisted sequence follows the clock too")
    }

    @Test("the agent logs the correction once, with how far the clock was behind")
    func agentLogsTheCorrection() throws {
        let logs = CapturedLogs()
        let now = Mutex(1_800_000_000.0)
        var configuration = AgentConfiguration(
            apiBase: "http://127.0.0.1:1/client/v4", accountID: "acc", connectorID: "c1", apiToken: "t", stateDirectory: temporaryStateDirectory()
        )
        configuration.attestation = false
        let agent = try Agent(configuration: configuration, logger: logs.logger(), clock: { now.withLock { $0 } }, snapshotSource: countersOnlySnapshot)
        agent.record(.`init`)
        now.withLock { $0 += 86_400 }
        agent.record(.reconcile)
        now.withLock { $0 -= 86_400 - 1 }
        agent.record(.reconcile)
        agent.record(.reconcile)
        let warnings = logs.lines(.warning, containing: "the clock is far behind the last stamp")
        #expect(warnings.count == 1, "\(logs.all)")
        #expect(warnings.first?.contains("behind_s=86399") == true)
        let stamps = try agent.spool.oldest(10).map(\.stamp)
        #expect(stamps.map(\.t) == [1_800_000_000, 1_800_086_400, 1_800_000_001, 1_800_000_001])
    }
}
