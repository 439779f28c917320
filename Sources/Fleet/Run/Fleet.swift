import Blocking
import CGlibcExtras
import Foundation
import Synchronization

/// Runs a fleet: every connector steps through simulated time, one interval at a time; each step's records go
/// to every sink. Paced by `plan.speed` (or real time, with a past start caught up at full speed) until
/// `plan.end` or `stop()`; then every connector records Leave and the sinks are finished.
public final class Fleet: Sendable {
    public struct Summary: Sendable, Equatable {
        public var connectors: Int
        public var snapshots: Int
        public var events: Int
        /// Simulated seconds covered.
        public var simulatedSeconds: Double
        public var wallSeconds: Double
    }

    /// The connectors of one share of the fleet, stepped together on one thread.
    private final class Shard: Sendable {
        let connectors: Mutex<[VirtualConnector]>
        init(_ connectors: [VirtualConnector]) { self.connectors = Mutex(connectors) }
    }

    public let plan: FleetPlan
    public let ids: [String]
    private let shards: [Shard]
    private let sinks: [any FleetSink]
    private let stopped = Mutex(false)
    /// The sleep in progress, which `stop()` cancels.
    private let sleeping = Mutex<Task<Void, Never>?>(nil)
    /// Called every `checkinInterval` wall seconds while the fleet runs (the API's check-ins); returns the ids of
    /// the connectors that took a new site config, each of which records Reconcile at its next snapshot.
    private let checkIn: (@Sendable () async -> Set<String>)?
    private let checkinInterval: Double
    private let sliceSize: Int

    /// `ids[i]` is the id of the plan's i-th member (connector `plan.members[i]`; every connector unless the plan is
    /// sharded); `attested[i]` whether its attestation succeeded (all, without an API).
    public init(
        plan: FleetPlan, ids: [String], attested: [Bool]? = nil, sinks: [any FleetSink],
        shards: Int = ProcessInfo.processInfo.activeProcessorCount, sliceSize: Int = Fleet.defaultSliceSize,
        checkinInterval: Double = 60, checkIn: (@Sendable () async -> Set<String>)? = nil
    ) throws {
        let problems = plan.problems()
        guard problems.isEmpty else { throw FleetError(problems.joined(separator: "; ")) }
        let members = plan.members
        guard ids.count == members.count else {
            throw FleetError("\(ids.count) connector ids for \(members.count) connectors (shard \(plan.shard) of \(plan.connectors))")
        }
        self.plan = plan
        self.ids = ids
        self.sinks = sinks
        self.checkIn = checkIn
        self.checkinInterval = checkinInterval
        self.sliceSize = max(1, sliceSize)
        let connectors = members.enumerated().map { position, index in
            VirtualConnector(
                index: index, id: ids[position], plan: plan, profile: plan.profile(of: index),
                attested: attested?[position] ?? true)
        }
        let count = max(1, min(shards, plan.connectors))
        self.shards = (0..<count).map { shard in
            Shard(stride(from: shard, to: connectors.count, by: count).map { connectors[$0] })
        }
    }

    /// Ends `run()` after the step in progress; callable from any thread (signal handlers), any number of times.
    public func stop() {
        stopped.withLock { $0 = true }
        sleeping.withLock { $0?.cancel() }
    }

    private var isStopped: Bool { stopped.withLock { $0 } }

    /// Runs until the end of the plan or `stop()`.
    public func run() async throws -> Summary {
        let wallStart = Date().timeIntervalSince1970
        let clock = ContinuousClock.now
        var summary = Summary(connectors: ids.count, snapshots: 0, events: 0, simulatedSeconds: 0, wallSeconds: 0)
        var nextCheckIn = ContinuousClock.now
        var reconcileDue: Set<String> = []
        var step = 0
        var simulatedEnd = plan.start
        while !isStopped {
            let windowStart = plan.start + Double(step) * plan.interval
            if let end = plan.end, windowStart >= end { break }
            let windowEnd = windowStart + plan.interval
            // Records are made once their window is over, so none is stamped ahead of the (simulated) clock.
            await waitUntil(simulated: min(windowEnd, plan.end ?? windowEnd), wallStart: wallStart)
            if isStopped { break }
            let end = plan.end
            let reconcile = reconcileDue
            reconcileDue = []
            try await generateAndDeliver(to: &summary) { connector, encoder, records in
                let t = windowStart + connector.phase
                guard end.map({ t < $0 }) ?? true else { return }
                if reconcile.contains(connector.id) { connector.reconcile(at: t) }
                try connector.step(snapshotAt: t, encoder: encoder, into: &records)
            }
            simulatedEnd = min(windowEnd, plan.end ?? windowEnd)
            step += 1
            if let checkIn, ContinuousClock.now >= nextCheckIn {
                reconcileDue = await checkIn()
                nextCheckIn = .now + .seconds(checkinInterval)
            }
        }
        if isStopped {
            simulatedEnd = max(simulatedEnd, min(simulatedNow(wallStart: wallStart), plan.end ?? .infinity))
        }
        let leaveAt = simulatedEnd
        try await generateAndDeliver(to: &summary) { connector, encoder, records in
            try connector.leave(at: leaveAt, encoder: encoder, into: &records)
        }
        for sink in sinks { try await sink.finish() }
        summary.simulatedSeconds = simulatedEnd - plan.start
        summary.wallSeconds = (ContinuousClock.now - clock).seconds
        return summary
    }

    /// Connectors whose records are made and handed to the sinks together: a step of 10,000 connectors at once
    /// held all their records (~100 MB) at the same time.
    public static let defaultSliceSize = 1000

    /// One step: the connectors' records, a slice of connector indexes at a time in index order (so the sinks see
    /// the same order as one batch would give them), each slice delivered before the next is made.
    private func generateAndDeliver(
        to summary: inout Summary,
        _ body: @escaping @Sendable (inout VirtualConnector, RecordEncoder, inout ConnectorRecords) throws -> Void
    ) async throws {
        for lower in stride(from: 0, to: plan.connectors, by: sliceSize) {
            let slice = lower..<min(lower + sliceSize, plan.connectors)
            let batch = try await generate(slice, body)
            if !batch.isEmpty { try await deliver(batch, to: &summary) }
        }
    }

    /// The records of the connectors with an index in `slice`, the shards in parallel off the cooperative pool.
    private func generate(
        _ slice: Range<Int>,
        _ body: @escaping @Sendable (inout VirtualConnector, RecordEncoder, inout ConnectorRecords) throws -> Void
    ) async throws -> [ConnectorRecords] {
        try await withThrowingTaskGroup(of: [ConnectorRecords].self) { group in
            for shard in shards {
                group.addTask {
                    try await Blocking.run { _ in
                        let encoder = RecordEncoder()
                        return try shard.connectors.withLock { connectors in
                            try connectors.indices.filter { slice.contains(connectors[$0].index) }.map { index in
                                var records = ConnectorRecords(
                                    index: connectors[index].index, connectorID: connectors[index].id)
                                try body(&connectors[index], encoder, &records)
                                return records
                            }
                        }
                    }
                }
            }
            var all: [ConnectorRecords] = []
            for try await part in group { all += part }
            return all.sorted { $0.index < $1.index }
        }
    }

    private func deliver(_ batch: [ConnectorRecords], to summary: inout Summary) async throws {
        for records in batch {
            summary.snapshots += records.snapshots.count
            summary.events += records.events.count
        }
        for sink in sinks { try await sink.deliver(batch) }
    }

    /// The simulated time now: the wall clock, or the paced clock at `speed`.
    private func simulatedNow(wallStart: Double) -> Double {
        let now = Date().timeIntervalSince1970
        guard let speed = plan.speed else { return now }
        return plan.start + (now - wallStart) * speed
    }

    /// Sleeps until simulated time `t` has come (at once when it has: a backfill), or until `stop()`. One task
    /// sleeps at a time and `stop()` cancels it. (An AsyncStream of wake-ups, consumed by a task that was cancelled
    /// after each sleep, finished on the first cancellation: every later wait returned at once and the loop spun,
    /// 60 % of a core for 200 connectors.)
    private func waitUntil(simulated t: Double, wallStart: Double) async {
        var trimmed = false
        while !isStopped {
            let ahead = t - simulatedNow(wallStart: wallStart)
            guard ahead > 0 else { return }
            if !trimmed {
                // Idle until the next window: the step's records are freed, give their pages back (a paced fleet
                // of 10,000 otherwise keeps its peak step resident; a backfill never waits, so never pays this).
                _ = vc_malloc_trim()
                trimmed = true
            }
            let wall = plan.speed.map { ahead / $0 } ?? ahead
            let sleep = Task { _ = try? await Task.sleep(for: .seconds(min(wall, 1))) }
            sleeping.withLock { $0 = sleep }
            // A stop() between the check above and the store: the sleep is at most a second.
            if isStopped { sleep.cancel() }
            await sleep.value
            sleeping.withLock { $0 = nil }
        }
    }
}
