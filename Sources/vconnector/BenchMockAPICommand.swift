import ArgumentParser
import Benchmarks
import Foundation
import Logging
import MockAPI

/// `vconnector bench mock-api`: server and load generator in one run; prints one JSON line.
struct BenchMockAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-api",
        abstract:
            "Benchmark the mock API: snapshot and event ingest rates, list/latest latency with many stored snapshots.",
        discussion: """
            Starts the mock-api in-process on a free loopback port with a fresh SQLite file, then, over \
            keep-alive HTTP/1.1 connections: --clients clients post full snapshots (one per request, or \
            --snapshots-per-batch) for --warmup and then --seconds measured; the same clients post event batches; \
            then --stored snapshots are bulk-seeded into SQLite for one connector and --reads GETs of \
            snapshots?from&to&limit=100 and of snapshots/latest are timed. Before the server starts, the CPU cost \
            of deciding one snapshot is measured three ways: the ingest validator, JSONDecoder, JSONSerialization. \
            Prints one JSON line; rates per CPU-second (and per server CPU-second, the load generator's threads' \
            CPU taken out) are the figures other load on the machine skews least. --decoder-only ingests with \
            JSONDecoder alone, the figure to compare with. Targets (issue 19): 10,000 snapshots/s and 100,000 \
            events/s per core, list p99 <= 20 ms, latest p99 <= 5 ms.

            With --db postgres://USER@HOST/DBNAME (an empty database) the same run measures SQLite first (a \
            temporary file), then PostgreSQL, and prints a line for each ("engine").

            Examples:
              vconnector bench mock-api
              vconnector bench mock-api --stored 10000 --seconds 2     # quick run
              vconnector bench mock-api --stored 2000 --seconds 4 --decoder-only   # before the fast path
              vconnector bench mock-api --stored 2000 --seconds 4 --snapshots-per-batch 100
              vconnector bench mock-api --db postgres://bench@/bench?host=/run/postgresql   # SQLite, then PostgreSQL
            """
    )

    @Option(help: "Concurrent clients (keep-alive connections) posting telemetry.")
    var clients = 32

    @Option(help: "Seconds each ingest phase is measured.")
    var seconds = 5.0

    @Option(help: "Seconds each ingest phase runs before it is measured.")
    var warmup = 1.0

    @Option(name: .customLong("events-per-batch"), help: "Events per POST in the events phase.")
    var eventsPerBatch = 100

    @Option(
        name: .customLong("snapshots-per-batch"),
        help: "Snapshots per POST in the snapshot phase (1: one per request, as an agent posts them live).")
    var snapshotsPerBatch = 1

    @Option(help: "Snapshots stored (bulk-seeded) for the read-latency phase.")
    var stored = 1_000_000

    @Option(help: "GET requests timed per read endpoint.")
    var reads = 2000

    @Option(name: .customLong("read-clients"), help: "Concurrent clients for the timed reads.")
    var readClients = 4

    @Flag(
        name: .customLong("tiny-stored-bodies"),
        help: "Seed the --stored snapshots with tiny bodies ({\"t\":T}): 10M full ones need over 70 GB of disk; the reads timed go through the index.")
    var tinyStoredBodies = false

    @Flag(
        name: .customLong("decoder-only"),
        help: "Ingest snapshots with JSONDecoder only, without the byte-level validator: the figure to compare with.")
    var decoderOnly = false

    @Option(help: ArgumentHelp(
        "SQLite file to use (kept afterwards), or a postgres:// URL of an empty database (SQLite runs first as the baseline); default: a temporary file, removed afterwards.",
        valueName: "path-or-url"
    ))
    var db: String?

    @Option(
        name: .customLong("snapshot-file"),
        help: "Snapshot JSON to post; default: the documented example with all 173 fields.")
    var snapshotFile: String?

    func validate() throws {
        if let db, PostgresURL.isPostgres(db) {
            do { _ = try PostgresURL(db) } catch let error as PostgresURLError { throw ValidationError("--db: \(error.description)") }
        }
        guard clients >= 1, readClients >= 1, reads >= 1, seconds > 0, warmup >= 0, eventsPerBatch >= 1,
            snapshotsPerBatch >= 1, stored >= 200
        else {
            throw ValidationError(
                "--clients, --read-clients, --reads, --events-per-batch, --snapshots-per-batch must be >= 1, --seconds > 0, --warmup >= 0, --stored >= 200"
            )
        }
    }

    func run() async throws {
        var options = MockAPIBenchmark.Options()
        options.clients = clients
        options.seconds = seconds
        options.warmup = warmup
        options.eventsPerBatch = eventsPerBatch
        options.storedSnapshots = stored
        options.readRequests = reads
        options.readClients = readClients
        options.tinyStoredBodies = tinyStoredBodies
        options.decoderOnly = decoderOnly
        options.snapshotsPerBatch = snapshotsPerBatch
        if let snapshotFile {
            options.snapshotJSON = try String(contentsOfFile: snapshotFile, encoding: .utf8)
        }
        var logger = Logger(label: "vconnector.bench.mock-api")
        logger.logLevel = .info
        // PostgreSQL beside its same-run SQLite baseline; one line each.
        let databases = db.map { PostgresURL.isPostgres($0) ? [nil, $0] : [$0] } ?? [nil]
        for database in databases {
            options.databasePath = database
            print(try JSONLine.encode(try await MockAPIBenchmark(options: options, logger: logger).run()))
            fflush(nil)
        }
    }
}
