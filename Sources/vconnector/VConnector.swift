import AgentCommandLine
import ArgumentParser
import ConnectorAPI

@main
struct VConnector: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vconnector",
        abstract: "A virtual Cloudflare Magic WAN Connector for Linux.",
        discussion: """
            Reads this host's real kernel counters into the documented telemetry snapshot, runs as the \
            connector (lifecycle events, store-and-forward, upgrades in the interrupt window), applies a site's \
            WANs, LANs, DHCP, NAT and ACLs to network namespaces, builds a lab around a site, runs a local mock \
            of the Cloudflare v4 Magic API, and benchmarks all of it. The whole thing at once: scripts/demo.

            Examples:
              vconnector snapshot --pretty
              vconnector mock-api --listen 127.0.0.1:8787
              vconnector site apply --dry-run fixtures/sites/good/branch-2wan-2lan.json
              vconnector lab up fixtures/sites/good/branch-2wan-2lan.json --hosts 2
              VCONNECTOR_API_TOKEN=... vconnector agent --account-id ACC --connector-id CONN
              vconnector fleet --connectors 100 --from now-1d --to now --out ndjson:/tmp/fleet
              vconnector bench reconcile
            """,
        version: BuildInfo.versionLine,
        subcommands: [
            SnapshotCommand.self, AgentCommand.self, MockAPICommand.self, SiteCommand.self, LabCommand.self, FleetCommand.self, BenchCommand.self,
        ]
    )
}
