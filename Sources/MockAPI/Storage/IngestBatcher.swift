import Foundation

/// Group commit for telemetry ingest: requests that arrive while one transaction is being written join the
/// next one, so a fleet of agents costs one commit per batch, not one per request. Each request runs in its
/// own savepoint: one request's failure (e.g. an unknown connector) never touches another's rows.
actor IngestBatcher {
    enum Rows: Sendable {
        case snapshots([TelemetryStore.SnapshotRow])
        case events([TelemetryStore.EventRow])
    }

    private struct Job: Sendable {
        let account: String
        let connector: String
        let rows: Rows
        let version: String?
        let receivedAt: Date
        let continuation: CheckedContinuation<Int, any Error>
    }

    private let writer: SQLDatabase
    /// Rows stored since start, for mock-api's /metrics ingest rates (the store's, shared by every batcher of it).
    private let tally: IngestTally
    private var queue: [Job] = []
    private var writing = false

    init(writer: SQLDatabase, tally: IngestTally) {
        self.writer = writer
        self.tally = tally
    }

    /// Stores `rows` for the connector (404 if it is not the account's) and records the heartbeat; returns how many were new.
    func submit(account: String, connector: String, rows: Rows, version: String?, receivedAt: Date) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            queue.append(Job(account: account, connector: connector, rows: rows, version: version, receivedAt: receivedAt, continuation: continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = queue
            queue = []
            let outcomes: [Result<Int, any Error>]
            do {
                outcomes = try await writer.write { db in
                    batch.map { job in Result { try Self.apply(job, db: db) } }
                }
            } catch {
                outcomes = batch.map { _ in .failure(error) }
            }
            for (job, outcome) in zip(batch, outcomes) {
                if case .success(let stored) = outcome {
                    switch job.rows {
                    case .snapshots: tally.add(snapshots: stored)
                    case .events: tally.add(events: stored)
                    }
                }
                job.continuation.resume(with: outcome)
            }
        }
        writing = false
    }

    private static func apply(_ job: Job, db: SQLSession) throws -> Int {
        var stored = 0
        try db.inSavepoint {
            let seq = try ConnectorStore.requireSeq(db: db, account: job.account, id: job.connector)
            let a = job.receivedAt.timeIntervalSince1970
            switch job.rows {
            case .snapshots(let rows): stored = try TelemetryStore.insertSnapshots(db: db, seq: seq, rows: rows, receivedAt: a)
            case .events(let rows): stored = try TelemetryStore.insertEvents(db: db, seq: seq, rows: rows, receivedAt: a)
            }
            try ConnectorStore.heartbeat(db: db, seq: seq, at: job.receivedAt, version: job.version)
            return .commit
        }
        return stored
    }
}
