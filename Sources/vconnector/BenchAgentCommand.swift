import Agent
import ArgumentParser
import ConnectorAPI
import Foundation
import Logging
import MockAPI
import Telemetry

/// `vconnector bench agent`: a real agent process against an in-process mock-api; prints one JSON line.
struct BenchAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Benchmark the agent: CPU per hour and steady-state RSS at a 10 s snapshot interval, backlog drain rate.",
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

    @Option(help: ArgumentHelp("Give the agent this site (scripts/demo format) and measure it applying it each check-in (needs root).", valueName: "file"))
    var site: String?

    func validate() throws {
        guard seconds > 0, warmup >= 0, interval > 0, drain >= 1, (1...1000).contains(batchSize) else {
            throw ValidationError("--seconds and --interval must be > 0, --warmup >= 0, --drain >= 1, --batch-size 1-1000")
        }
        _ = try AgentUnderTest.resolve(agentBinary)
        if let site {
            guard geteuid() == 0 else { throw ValidationError("--site needs root: the agent applies the site to network namespaces") }
            _ = try BenchAgentSite.load(site)
        }
    }

    func run() async throws {
        var logger = Logger(label: "vconnector.bench.agent")
        logger.logLevel = .warning
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("vconnector-bench-agent-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let token = "bench-agent-token", account = "accbench0000000000000000000000001"
        let server = try MockAPIServer(configuration: MockAPIConfiguration(port: 0, databasePath: work + "/mock.sqlite"), logger: logger)
        try server.store.createAccount(id: account, writeToken: token)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let serving = Task { try await server.run(handleSignals: false) { portContinuation.yield($0) } }
        var port = 0
        for await bound in ports { port = bound; break }
        let base = "http://127.0.0.1:\(port)/client/v4"

        // Baseline: one snapshot of this host, in this process.
        let collector = try SnapshotCollector(options: CollectorOptions())
        let snapshot = collector.collect().snapshot
        var snapshotCPU = Samples()
        for _ in 0..<20 { snapshotCPU.measure { _ = collector.collect() } }

        // The running agent, with a site if asked.
        let mock = BenchMockClient(base: base, account: account, token: token)
        var benchSite: BenchAgentSite?
        if let site {
            benchSite = try await BenchAgentSite.create(try BenchAgentSite.load(site), mock: mock, stateRoot: work + "/site-state")
        }
        defer { benchSite?.tearDown() }
        let connector: String
        if let benchSite { connector = benchSite.connectorID } else { connector = try await mock.createConnector() }
        let agentUnderTest = try AgentUnderTest.resolve(agentBinary)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: agentUnderTest.path)
        child.arguments = agentUnderTest.subcommand + [
            "--api-base", base, "--account-id", account, "--connector-id", connector, "--state-dir", work + "/agent-state",
            "--snapshot-interval", "\(interval)", "--checkin-interval", "\(interval)", "--log-level", "warning",
        ] + (benchSite == nil ? [] : ["--site-state-root", work + "/site-state"])
        var environment = ProcessInfo.processInfo.environment
        environment["VCONNECTOR_API_TOKEN"] = token
        child.environment = environment
        try child.run()
        try await Task.sleep(for: .seconds(warmup))
        guard child.isRunning else { throw CommandFailure("the agent exited during the warm-up (status \(child.terminationStatus))") }
        if let benchSite, !benchSite.isApplied {
            kill(child.processIdentifier, SIGTERM)
            child.waitUntilExit()
            throw CommandFailure("--site: the agent did not apply the site within the warm-up (\(warmup) s); try a longer --warmup")
        }
        let pid = child.processIdentifier
        let cpuStart = Self.cpuSeconds(pid), wallStart = ContinuousClock.now
        var rss: [Double] = [], pss: [Double] = [], anonymous: [Double] = []
        while ContinuousClock.now - wallStart < .seconds(seconds) {
            if let value = Self.residentMegabytes(pid) { rss.append(value) }
            let rollup = Self.memoryRollup(pid)
            if let value = rollup["Pss"] { pss.append(value) }
            if let value = rollup["Anonymous"] { anonymous.append(value) }
            try await Task.sleep(for: .seconds(min(1, seconds)))
        }
        let cpu = Self.cpuSeconds(pid) - cpuStart
        let measured = Self.seconds(ContinuousClock.now - wallStart)
        let byMapping = Self.residentMegabytesByMapping(pid)
        kill(pid, SIGTERM)
        child.waitUntilExit()
        let delivered = try await mock.countRecords(connector: connector)

        // The drain of a backlog.
        let drainConnector = try await mock.createConnector()
        var configuration = AgentConfiguration(apiBase: base, accountID: account, connectorID: drainConnector, apiToken: token, stateDirectory: work + "/drain-state")
        configuration.batchSize = batchSize
        configuration.requestTimeout = 60
        let drained = try await DrainBenchmark.run(configuration: configuration, count: drain, snapshot: snapshot, logger: logger)
        await server.shutdown()
        _ = await serving.result

        let perHour = cpu / measured * 3600
        let snapshotsPerHour = 3600 / interval
        rss.sort()
        pss.sort()
        anonymous.sort()
        func round(_ value: Double, _ places: Double = 1000) -> Double { (value * places).rounded() / places }
        let result: [String: Any] = [
            "benchmark": "agent",
            "agent_binary": agentUnderTest.path, "agent_command": agentUnderTest.command,
            "agent_binary_mb": round(agentUnderTest.megabytes, 10),
            "agent_rss_mb_by_mapping": byMapping.filter { $0.value >= 0.1 }.mapValues { round($0, 10) },
            "interval_s": interval, "measured_s": round(measured),
            "agent_cpu_s": round(cpu, 100), "agent_cpu_s_per_hour": round(perHour, 100),
            "agent_cpu_percent_of_core": round(cpu / measured * 100, 10000),
            "agent_rss_mb_median": rss.isEmpty ? 0 : round(rss[rss.count / 2], 10), "agent_rss_mb_max": round(rss.last ?? 0, 10),
            "agent_pss_mb_median": pss.isEmpty ? 0 : round(pss[pss.count / 2], 10),
            "agent_anonymous_mb_median": anonymous.isEmpty ? 0 : round(anonymous[anonymous.count / 2], 10),
            "agent_records_delivered": delivered,
            "site": site.map { ["file": $0, "namespace": benchSite?.names.connector ?? ""] as [String: Any] } ?? NSNull(),
            "baseline_snapshot_cpu_ms_median": round(snapshotCPU.cpu.median / 1000, 100),
            "baseline_snapshots_cpu_s_per_hour": round(snapshotCPU.cpu.median / 1e6 * snapshotsPerHour, 100),
            "ratio_agent_cpu_to_snapshots_alone": snapshotCPU.cpu.median > 0 ? round(perHour / (snapshotCPU.cpu.median / 1e6 * snapshotsPerHour), 100) : 0,
            "drain_snapshots": drained.snapshots, "drain_delivered": drained.delivered, "drain_complete": drained.drained,
            "drain_seconds": round(drained.drainSeconds), "drain_snapshots_per_s": round(Double(drained.delivered) / drained.drainSeconds, 10),
            "drain_snapshot_bytes": drained.snapshotBytes, "drain_batch_size": batchSize,
            "spool_fill_snapshots_per_s": round(Double(drained.snapshots) / drained.fillSeconds, 10),
            "targets": ["cpu_percent_of_core_max": 0.1, "rss_mb_max": 25, "drain_snapshots_per_s_min": 1000],
        ]
        let line = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: line, as: UTF8.self))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// utime + stime of a process in seconds (fields 14 and 15 of /proc/PID/stat, in USER_HZ = 100 ticks).
    static func cpuSeconds(_ pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")")
        else { return 0 }
        // Fields after the command name (which may hold spaces) start at field 3.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / 100
    }

    /// Megabytes by field of /proc/PID/smaps_rollup: `Pss` shares the binary's and libraries' pages among the
    /// processes that map them (the bench itself maps the same libraries, and the same binary when the agent is
    /// `self`); `Anonymous` is heap and stacks.
    static func memoryRollup(_ pid: Int32) -> [String: Double] {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else { return [:] }
        var fields: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, parts[0].hasSuffix(":"), let kilobytes = Double(parts[1]) { fields[String(parts[0].dropLast())] = kilobytes / 1024 }
        }
        return fields
    }

    /// Resident megabytes per mapped file of /proc/PID/smaps, by file name; mappings without a file (heap,
    /// stacks, anonymous memory) are summed as `[anonymous]`, the kernel's own ones ([vdso]...) keep their name.
    static func residentMegabytesByMapping(_ pid: Int32) -> [String: Double] {
        guard let text = readWholeFile("/proc/\(pid)/smaps") else { return [:] }
        var megabytes: [String: Double] = [:]
        var current = "[anonymous]"
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard let first = parts.first else { continue }
            if first.contains("-"), !first.hasSuffix(":") {
                // A mapping's header: address range, permissions, offset, device, inode, then the path if any.
                let path = parts.count == 6 ? parts[5].trimmingCharacters(in: .whitespaces) : ""
                if path.hasPrefix("/") {
                    current = String(path.split(separator: "/").last ?? "")
                } else if ["[vdso]", "[vvar]", "[vsyscall]"].contains(path) {
                    current = path
                } else {
                    current = "[anonymous]"
                }
            } else if first == "Rss:", parts.count >= 2, let kilobytes = Double(parts[1]) {
                megabytes[current, default: 0] += kilobytes / 1024
            }
        }
        return megabytes
    }

    /// A /proc file read to its end with read(2): it reports size 0, and String(contentsOfFile:) returned only
    /// the first part of a large smaps (the binary's mappings, none of the libraries').
    static func readWholeFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func residentMegabytes(_ pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes / 1024
    }
}
