import ArgumentParser
import Benchmarks

struct BenchSnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Measure the cost of one full snapshot of this host.",
        discussion: """
            Prints one JSON line: wall and CPU microseconds per full snapshot (collect, and collect plus JSON \
            encoding), medians and p99, and two baselines measured in the same run that only read the raw \
            source files without parsing: with the files kept open (as the collector does) and with an \
            open/read/close per file; the ratio to the first, and the process's peak RSS. Build with \
            scripts/build-release for the figures in README.md (static, non-PIE: fewer dirty pages).

            Example:
              vconnector bench snapshot --iterations 2000
            """
    )

    @Option(help: "Measured snapshots (after a warm-up of a tenth as many).")
    var iterations = 1000

    @Option(help: ArgumentHelp("Measure the network of this namespace instead of the host's.", valueName: "name"))
    var netns: String?

    func validate() throws {
        guard iterations >= 10 else { throw ValidationError("--iterations must be at least 10") }
    }

    func run() throws {
        print(try JSONLine.encode(try SnapshotBenchmark(iterations: iterations, networkNamespace: netns).run()))
    }
}
