import ArgumentParser
import Benchmarks
import Foundation

struct BenchFailoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failover",
        abstract: "Time an HA pair's failover in a lab: a host pings the virtual gateway while the active node dies.",
        discussion: """
            Builds an HA site (two nodes, keepalived) in a lab; a host on its DHCP LAN pings the virtual gateway and \
            an address beyond the WAN every 100 ms while the active node fails hard (links down, SIGKILL), then the \
            dead node comes back as standby. Reports the medians over the runs of the time until the gateway (and \
            the internet, through the new active node's NAT) answers again and the probes lost (targets: under 1 s, \
            at most 10 lost), and the probes lost on the node's return (target 0). Prints one JSON line. Needs root \
            and keepalived (scripts/install-deps).

            Example:
              vconnector bench failover --runs 5
            """)

    @Option(help: "Failovers to take the median of (each fails the node active at the time).")
    var runs = 5

    func run() async throws {
        guard getuid() == 0 else { throw CommandFailure("bench failover needs root (network namespaces)") }
        let result = try FailoverBenchmark(runs: max(1, runs)).run { FileHandle.standardError.write(Data("bench failover: \($0)\n".utf8)) }
        print(try JSONLine.encode(result))
    }
}
