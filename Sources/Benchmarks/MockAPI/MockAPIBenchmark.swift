import Blocking
import ConnectorAPI
import Dispatch
import Foundation
import Logging
import MockAPI

/// `vconnector bench mock-api`: runs the server in-process and a load generator against it over loopback,
/// in one run, and reports ingest throughput and read latency with `storedSnapshots` snapshots stored.
public struct MockAPIBenchmark: Sendable {
    public struct Options: Sendable {
        /// Concurrent clients (keep-alive connections) posting telemetry.
        public var clients = 32
        /// Seconds each ingest phase is measured.
        public var seconds = 5.0
        /// Seconds each ingest phase runs before measuring (connections, caches, the WAL warm up).
        public var warmup = 1.0
        /// Events per POST in the events phase.
        public var eventsPerBatch = 100
        /// Snapshots per POST in the snapshot phase (1: one per request, as an agent posts them live; an agent
        /// draining its spool posts batches).
        public var snapshotsPerBatch = 1
        /// Snapshots stored for one connector before timing the reads.
        public var storedSnapshots = 1_000_000
        /// Store them with tiny bodies (`{"t":T}`) instead of the full snapshot: 10M full ones need over 70 GB of
        /// disk; lists read only the `(connector, t, a)` index, and latest one body, so the rows' count is what counts.
        public var tinyStoredBodies = false
        /// Requests timed per read endpoint.
        public var readRequests = 2000
        /// Concurrent clients for the reads.
        public var readClients = 4
        /// Database file, or a `postgres://` URL of an empty database; nil means a temporary SQLite file, removed afterwards.
        public var databasePath: String?
        /// The snapshot JSON posted; nil means the documented example with all fields.
        public var snapshotJSON: String?
        /// Ingest snapshots through JSONDecoder only (the server's `snapshotFastPath` off): the before-figure.
        public var decoderOnly = false

        public init() {}
    }

    public struct Result: Codable, Sendable {
        /// sqlite or postgres.
        public var engine: String
        public var snapshotIngestsPerSecond: Double
        public var snapshotIngestsPerCPUSecond: Double
        /// Per CPU-second of the server alone: the process's CPU less the load generator threads' own.
        public var snapshotIngestsPerServerCPUSecond: Double
        public var eventsPerSecond: Double
        public var eventsPerCPUSecond: Double
        public var eventsPerServerCPUSecond: Double
        /// Whether snapshots went through the byte-level validator (false: JSONDecoder only).
        public var snapshotFastPath: Bool
        /// Microseconds to decide one snapshot body: validator, JSONDecoder, JSONSerialization (same run).
        public var validatorMicroseconds: Double
        public var decoderMicroseconds: Double
        public var serializationMicroseconds: Double
        public var listP50Milliseconds: Double
        public var listP99Milliseconds: Double
        public var latestP50Milliseconds: Double
        public var latestP99Milliseconds: Double
        public var storedSnapshots: Int
        public var storedBodies: String
        public var seedSeconds: Double
        public var clients: Int
        public var snapshotBytes: Int
        public var failures: Int

        enum CodingKeys: String, CodingKey {
            case engine
            case snapshotIngestsPerSecond = "snapshot_ingests_per_s"
            case snapshotIngestsPerCPUSecond = "snapshot_ingests_per_cpu_s"
            case eventsPerSecond = "events_per_s"
            case eventsPerCPUSecond = "events_per_cpu_s"
            case eventsPerServerCPUSecond = "events_per_server_cpu_s"
            case snapshotIngestsPerServerCPUSecond = "snapshot_ingests_per_server_cpu_s"
            case snapshotFastPath = "snapshot_fast_path"
            case validatorMicroseconds = "validator_us"
            case decoderMicroseconds = "json_decoder_us"
            case serializationMicroseconds = "json_serialization_us"
            case listP50Milliseconds = "list_p50_ms"
            case listP99Milliseconds = "list_p99_ms"
            case latestP50Milliseconds = "latest_p50_ms"
            case latestP99Milliseconds = "latest_p99_ms"
            case storedSnapshots = "stored_snapshots"
            case storedBodies = "stored_bodies"
            case seedSeconds = "seed_s"
            case clients
            case snapshotBytes = "snapshot_bytes"
            case failures
        }
    }

    let options: Options
    let logger: Logger

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    static let token = "bench-write-token"
    static let account = "benchaccount000000000000000000aa"

    public func run() async throws -> Result {
        let path =
            options.databasePath
            ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("vconnector-bench-\(UUID().uuidString).sqlite").path
        defer {
            if options.databasePath == nil {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        let snapshot = try Self.snapshotTemplate(options.snapshotJSON)
        // Before the server starts, so nothing else runs meanwhile.
        let parsing = try SnapshotParseBenchmark(body: snapshot.body(t: 1_700_000_000)).run()
        var serverLogger = logger
        serverLogger.logLevel = .warning
        var configuration = MockAPIConfiguration(host: "127.0.0.1", port: 0, databasePath: path)
        configuration.snapshotFastPath = !options.decoderOnly
        let server = try MockAPIServer(configuration: configuration, logger: serverLogger)
        try server.store.createAccount(id: Self.account, writeToken: Self.token)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let serverTask = Task { try await server.run(handleSignals: false) { continuation.yield($0) } }
        defer { serverTask.cancel() }
        var port = 0
        for await bound in stream {
            port = bound
            break
        }
        logger.info("bench: server up", metadata: ["port": "\(port)", "database": "\(server.store.location)"])

        let connectors = try await createConnectors(port: port, count: options.clients + 1)
        let fleet = Array(connectors.dropLast())
        guard let readConnector = connectors.last else { throw BenchmarkFailure("no connector was created") }

        logger.info(
            "bench: snapshot ingest", metadata: ["clients": "\(options.clients)", "seconds": "\(options.seconds)"])
        let snapshots = try await ingestSnapshots(port: port, connectors: fleet, snapshot: snapshot)
        logger.info("bench: event ingest")
        let events = try await ingestEvents(port: port, connectors: fleet)
        logger.info("bench: seeding", metadata: ["snapshots": "\(options.storedSnapshots)"])
        let seedStart = DispatchTime.now()
        let span = try await seed(store: server.store, connector: readConnector, snapshot: snapshot)
        let seedSeconds = Self.seconds(since: seedStart)
        logger.info("bench: reads", metadata: ["seed_s": "\(Int(seedSeconds))"])
        let base = "/client/v4/accounts/\(Self.account)/magic/connectors/\(readConnector.id)/telemetry/snapshots"
        let list = try await timeReads(port: port) { random in
            // A random window of 100 s (10 snapshots/s stored) anywhere in the stored range.
            let from =
                span.lowerBound + Double(random.next() % UInt64(max(1, Int(span.upperBound - span.lowerBound) - 100)))
            return "\(base)?from=\(Int(from))&to=\(Int(from) + 100)&limit=100"
        }
        let latest = try await timeReads(port: port) { _ in "\(base)/latest" }

        await server.shutdown()
        _ = await serverTask.result
        server.store.close()
        return Result(
            engine: server.store.location.hasPrefix("postgres://") ? "postgres" : "sqlite",
            snapshotIngestsPerSecond: snapshots.rate, snapshotIngestsPerCPUSecond: snapshots.perCPUSecond,
            snapshotIngestsPerServerCPUSecond: snapshots.perServerCPUSecond,
            eventsPerSecond: events.rate, eventsPerCPUSecond: events.perCPUSecond,
            eventsPerServerCPUSecond: events.perServerCPUSecond,
            snapshotFastPath: !options.decoderOnly,
            validatorMicroseconds: parsing.validatorMicroseconds, decoderMicroseconds: parsing.decoderMicroseconds,
            serializationMicroseconds: parsing.serializationMicroseconds,
            listP50Milliseconds: list.percentile(0.50), listP99Milliseconds: list.percentile(0.99),
            latestP50Milliseconds: latest.percentile(0.50), latestP99Milliseconds: latest.percentile(0.99),
            storedSnapshots: options.storedSnapshots, storedBodies: options.tinyStoredBodies ? "tiny" : "full",
            seedSeconds: seedSeconds, clients: options.clients,
            snapshotBytes: snapshot.count,
            failures: snapshots.failures + events.failures + list.failures + latest.failures
        )
    }

    // MARK: Phases

    private struct BenchConnector: Sendable {
        let id: String
        let seq: Int64
    }

    private func createConnectors(port: Int, count: Int) async throws -> [BenchConnector] {
        try await Blocking.run { _ in try Self.createConnectorsBlocking(port: port, count: count) }
    }

    private static func createConnectorsBlocking(port: Int, count: Int) throws -> [BenchConnector] {
        let client = try LoopbackHTTPClient(port: port)
        var connectors: [BenchConnector] = []
        for index in 0..<count {
            let body = Array(#"{"device":{"id":"bench-device-\#(index)"}}"#.utf8)
            let response = try client.send(
                "POST", "/client/v4/accounts/\(Self.account)/magic/connectors", token: Self.token, body: body)
            guard response.status == 200,
                let envelope = try? JSONDecoder().decode(Envelope<Connector>.self, from: Data(response.body)),
                let connector = envelope.result
            else { throw BenchmarkFailure("creating a connector failed: HTTP \(response.status)") }
            connectors.append(BenchConnector(id: connector.id, seq: Int64(index + 1)))
        }
        return connectors
    }

    private struct Throughput {
        var rate: Double
        var failures: Int
        /// Items per second of this process's CPU time (server and load generator together), over the whole
        /// phase: a figure that other load on the machine does not skew.
        var perCPUSecond: Double
        /// The same over the process's CPU less the load generator threads' (what the server itself spent).
        var perServerCPUSecond: Double
    }

    /// Each client posts whole snapshots, one per request, with increasing `t`, for `seconds`.
    private func ingestSnapshots(port: Int, connectors: [BenchConnector], snapshot: Template) async throws -> Throughput
    {
        let (seconds, warmup) = (options.seconds, options.warmup)
        let perBatch = options.snapshotsPerBatch
        return try await Self.parallel(connectors.count) { index in
            let client = try LoopbackHTTPClient(port: port)
            let path =
                "/client/v4/accounts/\(Self.account)/magic/connectors/\(connectors[index].id)/telemetry/snapshots"
            var t = 1_700_000_000.0
            return try Self.measured(warmup: warmup, seconds: seconds) {
                let body: [UInt8]
                if perBatch == 1 {
                    t += 10
                    body = snapshot.body(t: t)
                } else {
                    var batch: [UInt8] = [UInt8(ascii: "[")]
                    for item in 0..<perBatch {
                        t += 10
                        if item > 0 { batch.append(UInt8(ascii: ",")) }
                        batch += snapshot.body(t: t)
                    }
                    body = batch + [UInt8(ascii: "]")]
                }
                let response = try client.send("POST", path, token: Self.token, body: body)
                return response.status == 200 ? perBatch : nil
            }
        }
    }

    /// Each client posts batches of `eventsPerBatch` events for `seconds`; the rate counts events.
    private func ingestEvents(port: Int, connectors: [BenchConnector]) async throws -> Throughput {
        let (seconds, warmup) = (options.seconds, options.warmup)
        let perBatch = options.eventsPerBatch
        let kinds = ["Init", "Reconcile", "StartAttestation", "FinishAttestationSuccess", "Leave"]
        return try await Self.parallel(connectors.count) { index in
            let client = try LoopbackHTTPClient(port: port)
            let path = "/client/v4/accounts/\(Self.account)/magic/connectors/\(connectors[index].id)/telemetry/events"
            var t = 1_700_000_000
            return try Self.measured(warmup: warmup, seconds: seconds) {
                t += 1
                let events = (0..<perBatch).map { n in
                    #"{"e":{"k":"\#(kinds[n % kinds.count])"},"n":\#(n),"t":\#(t),"v":"0.1.0"}"#
                }
                let response = try client.send(
                    "POST", path, token: Self.token, body: Array("[\(events.joined(separator: ","))]".utf8))
                return response.status == 200 ? perBatch : nil
            }
        }
    }

    /// Bulk-inserts stored snapshots through the server's store (multi-row INSERTs, a transaction per 20,000; the
    /// server is idle meanwhile; the reads are what is timed); 10 per second of `t`.
    private func seed(store: MockStore, connector: BenchConnector, snapshot: Template) async throws -> ClosedRange<Double> {
        let total = options.storedSnapshots
        let start = 1_600_000_000.0
        let chunk = 20_000
        var done = 0
        while done < total {
            let rows = (done..<min(total, done + chunk)).map { index in
                let t = start + Double(index) / 10
                return (t: t, a: t + 0.5, body: options.tinyStoredBodies ? #"{"t":\#(t)}"# : snapshot.text(t: t))
            }
            try await store.seedSnapshots(account: Self.account, connector: connector.id, rows: rows)
            done += rows.count
        }
        return start...(start + Double(max(total, 1) - 1) / 10)
    }

    private struct Latencies {
        var milliseconds: [Double]
        var failures: Int

        func percentile(_ fraction: Double) -> Double {
            guard !milliseconds.isEmpty else { return .nan }
            return Statistics.rounded(Statistics.percentile(milliseconds, fraction), places: 3)
        }
    }

    /// Times `readRequests` GETs spread over `readClients` keep-alive connections.
    private func timeReads(port: Int, path: @escaping @Sendable (inout SplitMix) -> String) async throws -> Latencies {
        let perClient = max(1, options.readRequests / options.readClients)
        let results = try await withThrowingTaskGroup(of: Latencies.self) { group in
            for index in 0..<options.readClients {
                group.addTask {
                    try await Blocking.run { _ in
                        let client = try LoopbackHTTPClient(port: port)
                        var random = SplitMix(seed: UInt64(index + 1))
                        var latencies = Latencies(milliseconds: [], failures: 0)
                        latencies.milliseconds.reserveCapacity(perClient)
                        for warmup in 0..<(perClient / 10 + 1) {
                            _ = warmup
                            _ = try client.send("GET", path(&random), token: Self.token)
                        }
                        for _ in 0..<perClient {
                            let target = path(&random)
                            let start = DispatchTime.now()
                            let response = try client.send("GET", target, token: Self.token)
                            latencies.milliseconds.append(Self.seconds(since: start) * 1000)
                            if response.status != 200 { latencies.failures += 1 }
                        }
                        return latencies
                    }
                }
            }
            var all = Latencies(milliseconds: [], failures: 0)
            for try await part in group {
                all.milliseconds += part.milliseconds
                all.failures += part.failures
            }
            return all
        }
        return results
    }

    // MARK: Helpers

    /// Repeats `step` for `warmup` seconds unmeasured, then for `seconds` measured; a step returns how many items
    /// it delivered, or nil on failure. Returns (items, failures, measured seconds, all items including warmup,
    /// this thread's CPU seconds: the load generator's own share of the process's CPU).
    private static func measured(warmup: Double, seconds: Double, _ step: () throws -> Int?) throws -> (
        Int, Int, Double, Int, Double
    ) {
        let threadCPUStart = Samples.now(CLOCK_THREAD_CPUTIME_ID)
        let warmupStart = DispatchTime.now()
        var warmed = 0
        while Self.seconds(since: warmupStart) < warmup { warmed += try step() ?? 0 }
        var (ok, failed) = (0, 0)
        let start = DispatchTime.now()
        while Self.seconds(since: start) < seconds {
            if let delivered = try step() { ok += delivered } else { failed += 1 }
        }
        let threadCPU = (Samples.now(CLOCK_THREAD_CPUTIME_ID) - threadCPUStart) / 1e6
        return (ok, failed, Self.seconds(since: start), warmed + ok, threadCPU)
    }

    /// Runs `count` blocking workers, each on its own thread, and sums their (ok, failed, seconds).
    private static func parallel(
        _ count: Int, _ work: @escaping @Sendable (Int) throws -> (Int, Int, Double, Int, Double)
    ) async throws -> Throughput {
        let cpuBefore = ProcessUsage.cpuSeconds()
        let results = try await withThrowingTaskGroup(of: (Int, Int, Double, Int, Double).self) { group in
            for index in 0..<count { group.addTask { try await Blocking.run { _ in try work(index) } } }
            var all: [(Int, Int, Double, Int, Double)] = []
            for try await result in group { all.append(result) }
            return all
        }
        let cpu = ProcessUsage.cpuSeconds() - cpuBefore
        let ok = results.reduce(0) { $0 + $1.0 }
        let failed = results.reduce(0) { $0 + $1.1 }
        let all = results.reduce(0) { $0 + $1.3 }
        let clientCPU = results.reduce(0) { $0 + $1.4 }
        let elapsed = results.map(\.2).max() ?? 1
        return Throughput(
            rate: (Double(ok) / elapsed).rounded(), failures: failed,
            perCPUSecond: (Double(all) / max(cpu, 1e-6)).rounded(),
            perServerCPUSecond: (Double(all) / max(cpu - clientCPU, 1e-6)).rounded())
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    /// The snapshot JSON split around its `t` value, so each request gets its own time by concatenation.
    struct Template: Sendable {
        let head: [UInt8]
        let tail: [UInt8]
        var count: Int { head.count + tail.count + 12 }

        func body(t: Double) -> [UInt8] { head + Array(String(t).utf8) + tail }
        func text(t: Double) -> String { String(decoding: body(t: t), as: UTF8.self) }
    }

    static func snapshotTemplate(_ json: String?) throws -> Template {
        let text = json ?? BenchSnapshot.json
        var snapshot = try JSONDecoder().decode(Snapshot.self, from: Data(text.utf8))
        snapshot.t = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let encoded = String(decoding: try encoder.encode(snapshot), as: UTF8.self)
        guard let range = encoded.range(of: #""t":0"#) else {
            throw BenchmarkFailure("snapshot template has no t field")
        }
        let head = Array(encoded[..<range.lowerBound].utf8) + Array(#""t":"#.utf8)
        return Template(head: head, tail: Array(encoded[range.upperBound...].utf8))
    }
}
