import ConnectorAPI
import Fleet
import Foundation
import Synchronization

/// The repository's fixture host trees as profiles, plans over them, and a sink that keeps what a fleet recorded.
enum FleetFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let hosts = root.appendingPathComponent("fixtures/hosts")

    /// Every usable fixture tree (the corrupted one is left out by `HostProfile.load`).
    static func profiles() throws -> [HostProfile] { try HostProfile.load(treesUnder: hosts, includeLiveHost: false) }

    /// A fixed start in the past (Wednesday 2026-11-25, 00:00 UTC) so every run of a test covers the same simulated
    /// day, as a backfill (a plan that ends in the future would wait for the wall clock).
    static let start = 1_795_651_200.0

    static func plan(
        connectors: Int, seed: UInt64 = 42, interval: Double = 60, hours: Double = 2, scenario: Scenario = .quiet,
        profiles: [HostProfile]? = nil
    ) throws -> FleetPlan {
        FleetPlan(
            connectors: connectors, seed: seed, interval: interval, start: start, end: start + hours * 3600,
            scenario: scenario, profiles: try profiles ?? Self.profiles(), version: "1.0.0"
        )
    }

    /// Runs a plan to its end into a `RecordingSink`.
    static func record(_ plan: FleetPlan, sliceSize: Int = Fleet.defaultSliceSize) async throws -> RecordingSink {
        let sink = RecordingSink()
        _ = try await Fleet(
            plan: plan, ids: plan.members.map(plan.offlineID(of:)), sinks: [sink], sliceSize: sliceSize
        ).run()
        return sink
    }
}

/// Keeps every record of a fleet, per connector, as delivered.
final class RecordingSink: FleetSink {
    struct Recorded: Sendable {
        var events: [Data] = []
        var snapshots: [Data] = []
    }

    private let box = Mutex<[String: Recorded]>([:])
    private let finished = Mutex(false)

    var byConnector: [String: Recorded] { box.withLock { $0 } }
    var wasFinished: Bool { finished.withLock { $0 } }

    func deliver(_ batch: [ConnectorRecords]) async throws {
        box.withLock { all in
            for records in batch {
                all[records.connectorID, default: Recorded()].events += records.events
                all[records.connectorID, default: Recorded()].snapshots += records.snapshots
            }
        }
    }

    func finish() async throws { finished.withLock { $0 = true } }

    func snapshots(of connector: String) throws -> [Snapshot] {
        try (byConnector[connector]?.snapshots ?? []).map { try JSONDecoder().decode(Snapshot.self, from: $0) }
    }

    func events(of connector: String) throws -> [RecordedEvent] {
        try (byConnector[connector]?.events ?? []).map { try JSONDecoder().decode(RecordedEvent.self, from: $0) }
    }

    /// Every record as NDJSON files in `directory`, as `--out ndjson:DIR` writes them.
    func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (connector, recorded) in byConnector {
            for (kind, lines) in [("events", recorded.events), ("snapshots", recorded.snapshots)] {
                var data = Data()
                for line in lines {
                    data.append(line)
                    data.append(UInt8(ascii: "\n"))
                }
                try data.write(
                    to: directory.appendingPathComponent(NDJSONSink.fileName(connector: connector, kind: kind)))
            }
        }
    }
}
