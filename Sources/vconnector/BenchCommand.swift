import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks; each prints one JSON line of medians and ratios measured in the same run.",
        subcommands: [
            BenchSnapshotCommand.self, BenchMockAPICommand.self, BenchAgentCommand.self, BenchReconcileCommand.self,
            BenchLabCommand.self, BenchTunnelCommand.self, BenchFleetCommand.self, BenchFailoverCommand.self,
        ]
    )
}
