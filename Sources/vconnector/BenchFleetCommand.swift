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

            Example:
              vconnector bench fleet --connectors 1000 --runs 5
            """
    )

    @Option(help: "Virtual connectors.")
    var connectors = 1000

    @Option(help: "Snapshot intervals per run (each one snapshot of every connector).")
    var steps = 10

    @Option(help: "Runs of each measurement; the medians are reported.")
    var runs = 5

    func validate() throws {
        guard connectors >= 1, steps >= 1, runs >= 1 else {
            throw ValidationError("--connectors, --steps and --runs must be at least 1")
        }
    }

    func run() async throws {
        var options = FleetBenchmark.Options()
        options.connectors = connectors
        options.steps = steps
        options.runs = runs
        var logger = Logger(label: "vconnector.bench")
        logger.logLevel = .warning
        print(try JSONLine.encode(try await FleetBenchmark(options: options, logger: logger).run()))
    }
}
