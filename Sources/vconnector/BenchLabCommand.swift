import ArgumentParser
import Benchmarks
import Foundation

struct BenchLabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Time lab up, lab verify and lab down of a site, and verify's probes per second.",
        discussion: """
            Builds the site's lab afresh each iteration (upstreams, one host per LAN with a real lease), verifies it \
            with real packets, and tears it down. Prints one JSON line of medians (seconds) with the targets: \
            lab up under 3 s and verify under 5 s for the demo site. Needs root.

            Examples:
              vconnector bench lab --site fixtures/demo/site.json
              vconnector bench lab --site fixtures/sites/bench/4-wans-8-lans.json --iterations 3
            """)

    @Option(help: ArgumentHelp("Site config to build the lab of.", valueName: "file"))
    var site = "fixtures/demo/site.json"

    @Option(help: "Labs to build, verify and remove.")
    var iterations = 3

    func run() async throws {
        guard getuid() == 0 else { throw CommandFailure("bench lab needs root (network namespaces)") }
        let config = try loadSiteConfig(site, lenient: true)
        let benchmark = LabBenchmark(config: config, iterations: max(1, iterations))
        let result = try benchmark.run { FileHandle.standardError.write(Data("bench lab: \($0)\n".utf8)) }
        print(try JSONLine.encode(result))
    }
}
