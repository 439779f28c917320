import AgentCommandLine
import ArgumentParser
import ConnectorAPI

@main
struct VConnector: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vconnector",
        abstract: "A virtual Cloudflare Magic WAN Connector for Linux.",
        discussion: """
            Reads this host's real kernel counters into the documented telemetry snapshot, runs a local \
            mock of the Cloudflare v4 Magic API, and benchmarks both.

            Examples:
              vconnector snapshot --pretty
              vconnector mock-api --listen 127.0.0.1:8787
              vconnector bench snapshot --iterations 2000
            """,
        version: VConnectorVersion.current,
        subcommands: [SnapshotCommand.self, AgentCommand.self, MockAPICommand.self, SiteCommand.self, LabCommand.self, BenchCommand.self]
    )
}
