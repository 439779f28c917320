import ArgumentParser
import Benchmarks
import Foundation

struct BenchReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Time site apply on a real site: full apply, no-op re-apply, one-LAN change, vs `ip -batch`.",
        discussion: """
            Applies the site (default: fixtures/sites/bench/4-wans-8-lans.json, 4 WANs and 8 LANs) in fresh \
            namespaces, re-applies it unchanged, changes one LAN's pool, tears it down, and builds the same \
            end state with `ip -batch`, `sysctl` and `nft -f` in the same run. Prints one JSON line of medians; \
            daemon start-up (dnsmasq) is reported apart. Needs root.

            Example:
              vconnector bench reconcile --iterations 5
            """)

    @Option(help: ArgumentHelp("Site config to apply.", valueName: "file"))
    var site = "fixtures/sites/bench/4-wans-8-lans.json"

    @Option(help: "Full applies to time (each followed by the no-op and one-LAN-change runs).")
    var iterations = 5

    @Option(help: "No-op re-applies per iteration.")
    var noOpRepeats = 20

    @Option(
        help: ArgumentHelp(
            "Seconds to let the kernel finish destroying the previous iteration's namespaces before each timed build.",
            valueName: "seconds"))
    var settle: Double = 1

    func run() async throws {
        guard getuid() == 0 else { throw CommandFailure("bench reconcile needs root (network namespaces)") }
        let config = try loadSiteConfig(site)
        let benchmark = ReconcileBenchmark(
            config: config, iterations: max(1, iterations), noOpRepeats: max(1, noOpRepeats), settle: max(0, settle))
        let result = try benchmark.run { FileHandle.standardError.write(Data("bench reconcile: \($0)\n".utf8)) }
        print(try JSONLine.encode(result))
    }
}
