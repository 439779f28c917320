import ConnectorAPI
import Fleet
import Foundation
import Logging

/// `vconnector bench fleet`: how fast the fleet generates telemetry (1,000 connectors backfilled to NDJSON on one
/// thread: snapshots per CPU second, so per core), and how fast mock-api takes it in from the fleet over loopback
/// (the server started in-process as `bench mock-api` does, the fleet posting through the agent's client). Medians
/// of `runs` runs of each.
public struct FleetBenchmark: Sendable {
    public struct Options: Sendable {
        public var connectors = 1000
        /// Snapshot intervals generated per run (each a snapshot of every connector).
        public var steps = 10
        public var runs = 5
        public var seed: UInt64 = 1
        public init() {}
    }

    public struct Result: Codable, Sendable {
        public var connectors: Int
        public var snapshotsPerRun: Int
        public var runs: Int
        public var profiles: [String]
        public var generatedSnapshotsPerCPUSecond: Double
        public var generatedSnapshotsPerSecond: Double
        public var ndjsonBytesPerSnapshot: Double
        public var ingestedSnapshotsPerSecond: Double
        public var ingestedSnapshotsPerCPUSecond: Double
        public var ingestFailures: Int
        public var peakResidentMegabytes: Double

        enum CodingKeys: String, CodingKey {
            case connectors, runs, profiles
            case snapshotsPerRun = "snapshots_per_run"
            case generatedSnapshotsPerCPUSecond = "generated_snapshots_per_cpu_s"
            case generatedSnapshotsPerSecond = "generated_snapshots_per_s"
            case ndjsonBytesPerSnapshot = "ndjson_bytes_per_snapshot"
            case ingestedSnapshotsPerSecond = "mock_ingested_snapshots_per_s"
            case ingestedSnapshotsPerCPUSecond = "mock_ingested_snapshots_per_cpu_s"
            case ingestFailures = "ingest_failures"
            case peakResidentMegabytes = "peak_rss_mb"
        }
    }

    let options: Options
    let logger: Logger

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    static let token = "bench-fleet-write-token"
    static let account = "benchfleet00000000000000000000aa"

    public func run() async throws -> Result {
        guard let hosts = HostProfile.repositoryHosts else {
            throw BenchmarkFailure("fixtures/hosts not found: run from a source checkout")
        }
        // The fixture trees only: the live host's shape would make the figures depend on this machine's NICs.
        let profiles = try HostProfile.load(treesUnder: hosts, includeLiveHost: false)
        let span = Double(options.steps) * 10
        let perRun = options.connectors * options.steps

        var generation: [(cpu: Double, wall: Double, bytes: Double)] = []
        for run in 0..<options.runs {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "vconnector-bench-fleet-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let plan = plan(profiles: profiles, start: 1_790_000_000 + Double(run) * span, span: span)
            let cpu = ProcessUsage.cpuSeconds(), wall = Samples.now(CLOCK_MONOTONIC)
            // One shard: one thread generates, so CPU seconds are one core's.
            _ = try await Fleet(
                plan: plan, ids: (0..<plan.connectors).map(plan.offlineID(of:)),
                sinks: [NDJSONSink(directory: directory)], shards: 1
            ).run()
            let measured = (
                cpu: ProcessUsage.cpuSeconds() - cpu, wall: (Samples.now(CLOCK_MONOTONIC) - wall) / 1e6,
                bytes: try Self.bytes(in: directory)
            )
            generation.append(measured)
            logger.info(
                "bench fleet: generation",
                metadata: ["run": "\(run)", "cpu_s": "\(measured.cpu)", "wall_s": "\(measured.wall)"])
        }

        let ingest = try await measureIngest(profiles: profiles, span: span)
        return Result(
            connectors: options.connectors, snapshotsPerRun: perRun, runs: options.runs, profiles: profiles.map(\.name),
            generatedSnapshotsPerCPUSecond: Statistics.rounded(
                Statistics.median(generation.map { Double(perRun) / $0.cpu }), places: 0),
            generatedSnapshotsPerSecond: Statistics.rounded(
                Statistics.median(generation.map { Double(perRun) / $0.wall }), places: 0),
            ndjsonBytesPerSnapshot: Statistics.rounded(
                Statistics.median(generation.map { $0.bytes / Double(perRun) }), places: 0),
            ingestedSnapshotsPerSecond: Statistics.rounded(Statistics.median(ingest.map(\.rate)), places: 0),
            ingestedSnapshotsPerCPUSecond: Statistics.rounded(Statistics.median(ingest.map(\.perCPU)), places: 0),
            ingestFailures: ingest.map(\.failures).reduce(0, +),
            peakResidentMegabytes: ProcessUsage.peakResidentMegabytes()
        )
    }

    private func plan(profiles: [HostProfile], start: Double, span: Double) -> FleetPlan {
        FleetPlan(
            connectors: options.connectors, seed: options.seed, interval: 10, start: start, end: start + span,
            profiles: profiles, version: "1.0.0")
    }

    /// The fleet posts its backfill to an in-process mock; the rate counts acknowledged snapshots per wall second
    /// and per CPU second of the process (server and fleet together, on this machine's cores).
    private func measureIngest(profiles: [HostProfile], span: Double) async throws -> [(
        rate: Double, perCPU: Double, failures: Int
    )] {
        let mock = try await InProcessMockAPI.start(account: Self.account, token: Self.token, logger: logger)
        let base = mock.base
        let api = FleetAPI(base: base, accountID: Self.account, token: Self.token, concurrency: 16)
        let ids = try await api.connectors(count: options.connectors, seed: options.seed)

        var results: [(rate: Double, perCPU: Double, failures: Int)] = []
        let now = Date().timeIntervalSince1970
        for run in 0..<options.runs {
            // Each run a new stretch of the past, so every snapshot is new to the mock.
            let plan = plan(profiles: profiles, start: now - Double(options.runs - run + 1) * span, span: span)
            let sink = APISink(api: api, batchSize: options.steps, eager: false)
            let cpu = ProcessUsage.cpuSeconds(), wall = Samples.now(CLOCK_MONOTONIC)
            _ = try await Fleet(plan: plan, ids: ids, sinks: [sink]).run()
            let seconds = (Samples.now(CLOCK_MONOTONIC) - wall) / 1e6
            let tally = sink.tally
            let snapshots = Double(tally.acknowledgedRecords - 4 * options.connectors)
            results.append(
                (
                    snapshots / seconds, snapshots / (ProcessUsage.cpuSeconds() - cpu),
                    tally.retries + tally.rejectedRecords
                ))
            logger.info(
                "bench fleet: ingest",
                metadata: ["run": "\(run)", "wall_s": "\(seconds)", "acknowledged": "\(tally.acknowledgedRecords)"])
        }
        await mock.stop()
        return results
    }

    private static func bytes(in directory: URL) throws -> Double {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".snapshots.ndjson") }
            .reduce(0.0) { total, name in
                let attributes = try FileManager.default.attributesOfItem(
                    atPath: directory.appendingPathComponent(name).path)
                return total + Double((attributes[.size] as? NSNumber)?.intValue ?? 0)
            }
    }
}
