import ArgumentParser
import Benchmarks
import Foundation

/// `vconnector bench agent`: a real agent process against an in-process mock-api; prints one JSON line.
struct BenchAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract:
            "Benchmark the agent: CPU per hour and steady-state RSS at a 10 s snapshot interval, backlog drain rate.",
        discussion: """
            Starts mock-api in-process on a free loopback port (temporary SQLite file) and runs the agent as a \
            child process against it (attestation on, --snapshot-interval and --checkin-interval --interval): \
            the agent-only `vconnector-agent` when it sits next to this binary (scripts/build-release builds \
            both), else this binary's `agent`; --agent-binary chooses, so both can be measured in one session. \
            The JSON names the binary measured (agent_binary, agent_command, agent_binary_mb). After --warmup \
            seconds it measures the child's CPU time (utime + stime from /proc/PID/stat) over --seconds and \
            samples its RSS (VmRSS) every second; CPU per hour is the measured rate extrapolated to 3600 s; \
            besides RSS it reports PSS and anonymous memory (smaps_rollup), since most of the RSS is clean pages \
            of the binary and of shared libraries, and the resident megabytes per mapping at the end \
            (agent_rss_mb_by_mapping: the binary, each library, [anonymous]). Baseline in the same run: the CPU \
            of one snapshot of this host (median of 20, in this process), and what 3600/interval snapshots would \
            cost. Then the drain: --drain real snapshots of this host are appended to a fresh spool (as during \
            an outage) and delivered by the agent's transmitter into the mock, timed. Targets: CPU < 0.1% of one core, \
            RSS <= 25 MB, drain >= 1000 snapshots/s.

            With --site FILE (root) the connector gets that site (the scripts/demo format, e.g. \
            fixtures/demo/site.json): the agent applies it to network namespaces at its first check-in (within the \
            warm-up, or the bench fails) and re-applies it at every check-in, as in the field; its dnsmasq and \
            udhcpc are processes of their own and not counted. The site is torn down at the end.

            Examples:
              vconnector bench agent                      # 60 s measured
              vconnector bench agent --seconds 20 --drain 5000
              vconnector bench agent --agent-binary self  # the multi-command binary's `agent`, for comparison
              vconnector bench agent --site fixtures/demo/site.json   # root: with a site applied each check-in
            """
    )

    @Option(help: "Seconds the running agent is measured (after the warm-up).")
    var seconds = 60.0

    @Option(help: "Seconds the agent runs before it is measured (start, attestation, first snapshot).")
    var warmup = 5.0

    @Option(help: "The agent's snapshot and check-in interval in seconds.")
    var interval = 10.0

    @Option(help: "Snapshots spooled and then drained into the mock.")
    var drain = 20_000

    @Option(name: .customLong("batch-size"), help: "Records per POST while draining (the agent's default is 100).")
    var batchSize = 100

    @Option(
        name: .customLong("agent-binary"),
        help: ArgumentHelp(
            "The agent measured: auto (vconnector-agent next to this binary, else self), self (this binary's `agent`), or the path of a vconnector-agent binary.",
            valueName: "auto|self|path"
        )
    )
    var agentBinary = "auto"

    @Option(
        help: ArgumentHelp(
            "Give the agent this site (scripts/demo format) and measure it applying it each check-in (needs root).",
            valueName: "file"))
    var site: String?

    func validate() throws {
        guard seconds > 0, warmup >= 0, interval > 0, drain >= 1, (1...1000).contains(batchSize) else {
            throw ValidationError(
                "--seconds and --interval must be > 0, --warmup >= 0, --drain >= 1, --batch-size 1-1000")
        }
        do {
            _ = try AgentUnderTest.resolve(agentBinary)
        } catch {
            throw ValidationError("\(error)")
        }
        if let site {
            guard geteuid() == 0 else {
                throw ValidationError("--site needs root: the agent applies the site to network namespaces")
            }
            do {
                try AgentBenchmark.checkSite(site)
            } catch {
                throw CommandFailure("\(error)")
            }
        }
    }

    func run() async throws {
        var benchmark = AgentBenchmark(agent: try AgentUnderTest.resolve(agentBinary))
        benchmark.seconds = seconds
        benchmark.warmup = warmup
        benchmark.interval = interval
        benchmark.drain = drain
        benchmark.batchSize = batchSize
        benchmark.site = site
        print(try JSONLine.encode(try await benchmark.run()))
    }
}
