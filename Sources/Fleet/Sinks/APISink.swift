import Agent
import Foundation
import Synchronization

/// Posts each connector's records to its telemetry endpoints with the agent's client, events before snapshots,
/// as the agent's transmitter does: in batches of one kind, oldest first. What the API does not acknowledge stays
/// queued and goes with the next delivery (ingest is idempotent); what it rejects as invalid is dropped and counted.
public final class APISink: FleetSink {
    public struct Tally: Sendable, Equatable {
        public var posted = 0
        public var acknowledgedRecords = 0
        public var retries = 0
        public var rejectedRecords = 0
        public var lastProblem: String?
    }

    private let api: FleetAPI
    /// Records per POST (the agent's default batch).
    private let batchSize: Int
    /// Deliver as soon as records arrive (a paced fleet), or only once a batch is full (a backfill).
    private let eager: Bool
    private let queues = Mutex<[Int: ConnectorRecords]>([:])
    private let tallyBox = Mutex(Tally())

    public init(api: FleetAPI, batchSize: Int = 100, eager: Bool) {
        self.api = api
        self.batchSize = batchSize
        self.eager = eager
    }

    public var tally: Tally { tallyBox.withLock { $0 } }

    public func deliver(_ batch: [ConnectorRecords]) async throws {
        let due = queues.withLock { queues in
            for records in batch where !records.isEmpty {
                var queue =
                    queues[records.index] ?? ConnectorRecords(index: records.index, connectorID: records.connectorID)
                queue.events += records.events
                queue.snapshots += records.snapshots
                queues[records.index] = queue
            }
            return queues.values.contains { eager || $0.events.count >= batchSize || $0.snapshots.count >= batchSize }
        }
        if due { await send() }
    }

    public func finish() async throws {
        // A few rounds, so a transient failure at the end does not lose the Leave events.
        for _ in 0..<3 where queues.withLock({ !$0.isEmpty }) { await send() }
    }

    private func send() async {
        let pending = queues.withLock { queues in
            defer { queues = [:] }
            return Array(queues.values)
        }
        let left = await concurrently(pending.count, limit: api.concurrency) { index in
            await self.post(pending[index])
        }
        queues.withLock { queues in
            for records in left where !records.isEmpty {
                var queue =
                    queues[records.index] ?? ConnectorRecords(index: records.index, connectorID: records.connectorID)
                queue.events = records.events + queue.events
                queue.snapshots = records.snapshots + queue.snapshots
                queues[records.index] = queue
            }
        }
    }

    /// Posts what one connector has queued; returns what is still to send.
    private func post(_ records: ConnectorRecords) async -> ConnectorRecords {
        var left = records
        let client = api.client(records.connectorID)
        for kind in [RecordKind.event, .snapshot] {
            while true {
                let queued = kind == .event ? left.events : left.snapshots
                guard !queued.isEmpty else { break }
                let batch = Array(queued.prefix(batchSize))
                let outcome = await client.post(kind, bodies: batch)
                let sent: Bool
                tallyBox.withLock { tally in
                    tally.posted += 1
                    switch outcome {
                    case .acknowledged: tally.acknowledgedRecords += batch.count
                    case .retry(let why):
                        tally.retries += 1
                        tally.lastProblem = why
                    case .rejected(let status, let message):
                        tally.rejectedRecords += batch.count
                        tally.lastProblem = "HTTP \(status): \(message)"
                    }
                }
                if case .retry = outcome { sent = false } else { sent = true }
                guard sent else { return left }
                if kind == .event {
                    left.events.removeFirst(batch.count)
                } else {
                    left.snapshots.removeFirst(batch.count)
                }
            }
        }
        return left
    }
}
