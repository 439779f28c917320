import Agent
import ConnectorAPI
import Foundation
import Logging
import MockAPI
import Telemetry

/// `vconnector bench agent`: a real agent process against an in-process mock-api; CPU per hour, steady-state memory,
/// and the drain of a spooled backlog through the agent's transmitter.
public struct AgentBenchmark {
    /// Seconds the running agent is measured (after the warm-up).
    public var seconds = 60.0
    /// Seconds the agent runs before it is measured.
    public var warmup = 5.0
    /// The agent's snapshot and check-in interval in seconds.
    public var interval = 10.0
    /// Snapshots spooled and then drained into the mock.
    public var drain = 20_000
    /// Records per POST while draining.
    public var batchSize = 100
    /// The agent measured (see `AgentUnderTest.resolve`).
    public var agent: AgentUnderTest
    /// A site file (scripts/demo format) the agent applies at each check-in; needs root.
    public var site: String?

    public init(agent: AgentUnderTest) { self.agent = agent }

    /// Throws when `path` is not a site example the bench can give the agent, before anything starts.
    public static func checkSite(_ path: String) throws { _ = try BenchAgentSite.load(path) }

    /// The figures, by the JSON key `bench agent` prints.
    public func run() async throws -> [String: Any] {
        var logger = Logger(label: "vconnector.bench.agent")
        logger.logLevel = .warning
        let work = FileManager.default.temporaryDirectory.appendingPathComponent(
            "vconnector-bench-agent-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let token = "bench-agent-token", account = "accbench0000000000000000000000001"
        let server = try MockAPIServer(
            configuration: MockAPIConfiguration(port: 0, databasePath: work + "/mock.sqlite"), logger: logger)
        try server.store.createAccount(id: account, writeToken: token)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let serving = Task { try await server.run(handleSignals: false) { portContinuation.yield($0) } }
        var port = 0
        for await bound in ports {
            port = bound
            break
        }
        let base = "http://127.0.0.1:\(port)/client/v4"

        // Baseline: one snapshot of this host, in this process.
        let collector = try SnapshotCollector(options: CollectorOptions())
        let snapshot = collector.collect().snapshot
        var snapshotCPU = Samples()
        for _ in 0..<20 { snapshotCPU.measure { _ = collector.collect() } }
        let snapshotCPUMedian = Statistics.rounded(Statistics.median(snapshotCPU.cpu), places: 1)

        // The running agent, with a site if asked.
        let mock = BenchMockClient(base: base, account: account, token: token)
        var benchSite: BenchAgentSite?
        if let site {
            benchSite = try await BenchAgentSite.create(
                try BenchAgentSite.load(site), mock: mock, stateRoot: work + "/site-state")
        }
        defer { benchSite?.tearDown() }
        let connector: String
        if let benchSite { connector = benchSite.connectorID } else { connector = try await mock.createConnector() }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: agent.path)
        child.arguments =
            agent.subcommand + [
                "--api-base", base, "--account-id", account, "--connector-id", connector, "--state-dir",
                work + "/agent-state",
                "--snapshot-interval", "\(interval)", "--checkin-interval", "\(interval)", "--log-level", "warning",
            ] + (benchSite == nil ? [] : ["--site-state-root", work + "/site-state"])
        var environment = ProcessInfo.processInfo.environment
        environment["VCONNECTOR_API_TOKEN"] = token
        child.environment = environment
        try child.run()
        try await Task.sleep(for: .seconds(warmup))
        guard child.isRunning else {
            throw BenchmarkFailure("the agent exited during the warm-up (status \(child.terminationStatus))")
        }
        if let benchSite, !benchSite.isApplied {
            kill(child.processIdentifier, SIGTERM)
            child.waitUntilExit()
            throw BenchmarkFailure(
                "--site: the agent did not apply the site within the warm-up (\(warmup) s); try a longer --warmup")
        }
        let probe = ProcessProbe(pid: child.processIdentifier)
        let cpuStart = probe.cpuSeconds, wallStart = ContinuousClock.now
        var rss: [Double] = [], pss: [Double] = [], anonymous: [Double] = []
        while ContinuousClock.now - wallStart < .seconds(seconds) {
            if let value = probe.residentMegabytes { rss.append(value) }
            let rollup = probe.rollup
            if let value = rollup.megabytes("Pss") { pss.append(value) }
            if let value = rollup.megabytes("Anonymous") { anonymous.append(value) }
            try await Task.sleep(for: .seconds(min(1, seconds)))
        }
        let cpu = probe.cpuSeconds - cpuStart
        let measured = (ContinuousClock.now - wallStart).seconds
        let byMapping = probe.residentMegabytesByMapping
        kill(probe.pid, SIGTERM)
        child.waitUntilExit()
        let delivered = try await mock.countRecords(connector: connector)

        // The drain of a backlog.
        let drainConnector = try await mock.createConnector()
        var configuration = AgentConfiguration(
            apiBase: base, accountID: account, connectorID: drainConnector, apiToken: token,
            stateDirectory: work + "/drain-state")
        configuration.batchSize = batchSize
        configuration.requestTimeout = 60
        let drained = try await DrainBenchmark.run(
            configuration: configuration, count: drain, snapshot: snapshot, logger: logger)
        await server.shutdown()
        _ = await serving.result

        let perHour = cpu / measured * 3600
        let snapshotsPerHour = 3600 / interval
        rss.sort()
        pss.sort()
        anonymous.sort()
        func round(_ value: Double, _ places: Int = 3) -> Double { Statistics.rounded(value, places: places) }
        return [
            "benchmark": "agent",
            "agent_binary": agent.path, "agent_command": agent.command,
            "agent_binary_mb": round(agent.megabytes, 1),
            "agent_rss_mb_by_mapping": byMapping.filter { $0.value >= 0.1 }.mapValues { round($0, 1) },
            "interval_s": interval, "measured_s": round(measured),
            "agent_cpu_s": round(cpu, 2), "agent_cpu_s_per_hour": round(perHour, 2),
            "agent_cpu_percent_of_core": round(cpu / measured * 100, 4),
            "agent_rss_mb_median": rss.isEmpty ? 0 : round(rss[rss.count / 2], 1),
            "agent_rss_mb_max": round(rss.last ?? 0, 1),
            "agent_pss_mb_median": pss.isEmpty ? 0 : round(pss[pss.count / 2], 1),
            "agent_anonymous_mb_median": anonymous.isEmpty ? 0 : round(anonymous[anonymous.count / 2], 1),
            "agent_records_delivered": delivered,
            "site": site.map { ["file": $0, "namespace": benchSite?.names.connector ?? ""] as [String: Any] }
                ?? NSNull(),
            "baseline_snapshot_cpu_ms_median": round(snapshotCPUMedian / 1000, 2),
            "baseline_snapshots_cpu_s_per_hour": round(snapshotCPUMedian / 1e6 * snapshotsPerHour, 2),
            "ratio_agent_cpu_to_snapshots_alone": snapshotCPUMedian > 0
                ? round(perHour / (snapshotCPUMedian / 1e6 * snapshotsPerHour), 2) : 0,
            "drain_snapshots": drained.snapshots, "drain_delivered": drained.delivered,
            "drain_complete": drained.drained,
            "drain_seconds": round(drained.drainSeconds),
            "drain_snapshots_per_s": round(Double(drained.delivered) / drained.drainSeconds, 1),
            "drain_snapshot_bytes": drained.snapshotBytes, "drain_batch_size": batchSize,
            "spool_fill_snapshots_per_s": round(Double(drained.snapshots) / drained.fillSeconds, 1),
            "targets": ["cpu_percent_of_core_max": 0.1, "rss_mb_max": 25, "drain_snapshots_per_s_min": 1000],
        ]
    }
}
