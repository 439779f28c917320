import Fleet
import Foundation
import Testing

/// A fleet in real time sleeps between its steps. Its wait once spun (a wake-up stream that finished after the
/// first cancelled wait made every later wait return at once): 60 % of a core for 200 connectors, found by
/// `bench fleet --paced`. A spin burns about a CPU-second per wall second; a sleeping fleet of two connectors
/// uses a few milliseconds.
@Suite struct PacingTests {
    @Test func aRealTimeFleetSleepsBetweenSteps() async throws {
        let now = Date().timeIntervalSince1970
        let plan = FleetPlan(
            connectors: 2, seed: 3, interval: 0.5, start: now, end: now + 3, profiles: try FleetFixtures.profiles(),
            version: "1.0.0")
        let sink = RecordingSink()
        let cpuBefore = Self.cpuSeconds()
        let summary = try await Fleet(plan: plan, ids: plan.members.map(plan.offlineID(of:)), sinks: [sink]).run()
        let cpu = Self.cpuSeconds() - cpuBefore
        #expect(summary.wallSeconds >= 2.5, "a real-time fleet of 3 simulated seconds took \(summary.wallSeconds) s")
        #expect(summary.snapshots >= 8, "\(summary.snapshots) snapshots in 3 s at 0.5 s")
        #expect(cpu < 0.75, "\(cpu) CPU seconds over \(summary.wallSeconds) s: the wait between steps is spinning")
    }

    @Test func stopEndsTheWaitAtOnce() async throws {
        let now = Date().timeIntervalSince1970
        // One step an hour: without stop() the fleet would wait an hour for its first snapshot.
        let plan = FleetPlan(
            connectors: 1, seed: 3, interval: 3600, start: now, end: nil, profiles: try FleetFixtures.profiles(),
            version: "1.0.0")
        let sink = RecordingSink()
        let fleet = try Fleet(plan: plan, ids: plan.members.map(plan.offlineID(of:)), sinks: [sink])
        Task {
            try? await Task.sleep(for: .milliseconds(300))
            fleet.stop()
        }
        let summary = try await fleet.run()
        #expect(summary.wallSeconds < 2, "stop() took \(summary.wallSeconds) s to end the wait")
        #expect(summary.events >= 1, "Leave at the stop")
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
