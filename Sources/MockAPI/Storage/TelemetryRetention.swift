import Foundation
import Logging
import ServiceLifecycle

/// `mock-api --retention`: telemetry whose own time `t` is older than the retention is deleted, so a long fleet run
/// does not fill the disk. Runs at start and then every `period`, one connector per write transaction (each a range
/// of the primary key), so ingest waits for one connector's delete at most, never for the whole sweep.
/// SQLite reuses the freed pages; the file itself does not shrink (VACUUM by hand for that).
struct TelemetryRetention: Service {
    let store: MockStore
    /// Seconds of telemetry kept.
    let retention: Double
    let logger: Logger

    /// A twenty-fourth of the retention, between 10 s and an hour: a 7 d retention sweeps hourly.
    var period: Double { min(max(retention / 24, 10), 3600) }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let cutoff = Date().timeIntervalSince1970 - retention
            let removed = try await Self.prune(store: store, before: cutoff)
            if removed.snapshots + removed.events > 0 {
                logger.info("retention: deleted telemetry older than the retention", metadata: [
                    "snapshots": "\(removed.snapshots)", "events": "\(removed.events)", "before_t": "\(Int(cutoff))",
                ])
            }
            // Shutdown ends the wait, and the service returns (a throw would make the group cancel the server).
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(period)) }
            } catch is CancellationError {
                return
            }
        }
    }

    /// Deletes every snapshot and event with `t < cutoff`; how many of each.
    static func prune(store: MockStore, before cutoff: Double) async throws -> (snapshots: Int, events: Int) {
        let connectors = try await store.writer.read { db in try Int64.fetchAll(db, sql: "SELECT seq FROM connectors") }
        var removed = (snapshots: 0, events: 0)
        for seq in connectors {
            let counts = try await store.writer.write { db in
                try db.execute(sql: "DELETE FROM snapshots WHERE connector_seq = ? AND t < ?", arguments: [seq, cutoff])
                let snapshots = db.changesCount
                try db.execute(sql: "DELETE FROM events WHERE connector_seq = ? AND t < ?", arguments: [seq, cutoff])
                return (snapshots, db.changesCount)
            }
            removed.snapshots += counts.0
            removed.events += counts.1
        }
        return removed
    }
}
