import ArgumentParser
import Benchmarks
import Logging

struct BenchFleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Measure the fleet's generation rate and mock-api's ingest rate from it.",
        discussion: """
            Prints one JSON line: snapshots generated per CPU second (one thread, so per core) and per wall second \
            for --connectors connectors backfilled --steps intervals into NDJSON, the NDJSON bytes per snapshot, and \
            the snapshots per second mock-api (in-process, loopback, temporary SQLite file) acknowledged from the \
            same fleet posting through the agent's client; medians of --runs runs each. Build with \
            scripts/build-release for the figures in README.md.

            With --paced, instead: `vconnector fleet --connectors N --out api` as it is run, in real time at \
            --interval, in its own process against mock-api served from this one; once its connectors are created \
            and attested and two intervals have passed, the fleet process's CPU (percent of one core) and resident \
            memory (median, max, per connector) over --seconds, and the snapshots mock-api stored per second.

            Examples:
              vconnector bench fleet --connectors 1000 --runs 5
              vconnector bench fleet --paced --connectors 10000 --interval 10 --seconds 60
            """
    )

    @Option(help: "Virtual connectors.")
    var connectors = 1000

    @Option(help: "Snapshot intervals per run (each one snapshot of every connector).")
    var steps = 10

    @Option(help: "Runs of each measurement; the medians are reported.")
    var runs = 5

    @Flag(help: "Measure a real-time fleet process against mock-api instead (see above).")
    var paced = false

    @Option(help: "With --paced: seconds between two snapshots of a connector.")
    var interval = 10.0

    @Option(help: "With --paced: seconds measured after start-up and a warm-up of two intervals.")
    var seconds = 60.0

    func validate() throws {
        guard connectors >= 1, steps >= 1, runs >= 1 else {
            throw ValidationError("--connectors, --steps and --runs must be at least 1")
        }
        guard interval >= 0.25, seconds >= 1 else {
            throw ValidationError("--interval must be at least 0.25 and --seconds at least 1")
        }
    }

    func run() async throws {
        var logger = Logger(label: "vconnector.bench")
        logger.logLevel = .warning
        if paced {
            var options = PacedFleetBenchmark.Options()
            options.connectors = connectors
            options.interval = interval
            options.seconds = seconds
            print(try JSONLine.encode(try await PacedFleetBenchmark(options: options, logger: logger).run()))
            return
        }
        var options = FleetBenchmark.Options()
        options.connectors = connectors
        options.steps = steps
        options.runs = runs
        print(try JSONLine.encode(try await FleetBenchmark(options: options, logger: logger).run()))
    }
}
