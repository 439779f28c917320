import ArgumentParser
import Benchmarks
import Foundation

struct BenchTunnelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tunnel",
        abstract: "Time IPsec tunnels in a lab: apply to SAs up, RTT and TCP through them, health-check CPU, failover.",
        discussion: """
            Builds two lab sites around one edge (site A with two tunnels on two WANs, site B with one) and measures, \
            in the same run: apply to both SAs up (target under 1 s), RTT and TCP throughput from a host of A to a \
            host of B through the tunnels against the same host's path to the edge without a tunnel, the health \
            checks' CPU per tunnel per hour, and the time from a tunnel fault until traffic is on the backup tunnel \
            (target: within 3 probe intervals, 3 s at rate high) and back. Prints one JSON line. Needs root and \
            strongSwan (scripts/install-deps).

            Example:
              vconnector bench tunnel --iterations 5
            """)

    @Option(help: "Times to restart the tunnels for the apply-to-SAs-up median.")
    var iterations = 5

    func run() async throws {
        guard getuid() == 0 else { throw CommandFailure("bench tunnel needs root (network namespaces)") }
        let result = try TunnelBenchmark(iterations: max(1, iterations)).run { FileHandle.standardError.write(Data("bench tunnel: \($0)\n".utf8)) }
        print(try JSONLine.encode(result))
    }
}
