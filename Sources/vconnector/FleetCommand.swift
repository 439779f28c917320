import Agent
import AgentCommandLine
import ArgumentParser
import CGlibcExtras
import ConnectorAPI
import Fleet
import Foundation

/// `vconnector fleet`: many virtual connectors in one process, and `fleet check` for what they recorded.
struct FleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Run many virtual connectors with realistic, varied telemetry, or check a recorded fleet.",
        discussion: """
            `fleet run` (the default) simulates --connectors devices in one process. Each one does what a real \
            connector does against the API: it is created activated (or found again by its device id \
            fleet-SEED-INDEX, or given by --connector-ids), records Init, attests with a P-256 key of its own, \
            checks in, sends a snapshot every --interval and records Leave when the fleet stops (SIGINT/SIGTERM, or \
            --to). Each connector's host is a profile from real trees (the fixture hosts and this machine), at its \
            own size, with telemetry from a seeded model: counters only grow, CPU times sum to uptime x CPUs, memory \
            adds up, PSI totals follow their averages, load follows the site's day. See docs/fleet.md.

            `fleet check DIR` checks a recorded fleet (--out ndjson:DIR) against every invariant and exits 1 on \
            any violation.
            """,
        subcommands: [FleetRunCommand.self, FleetCheckCommand.self],
        defaultSubcommand: FleetRunCommand.self
    )
}

struct FleetRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Simulate a fleet of connectors against the API, into NDJSON files, or to stdout.",
        discussion: """
            Time: real time by default (a snapshot per connector per --interval). --speed X runs simulated time X \
            times faster. --from T0 starts in the past and catches up at full speed (a backfill), then goes on in \
            real time; with --to T1 it stops there: a day of a 1,000-connector fleet takes minutes. Records carry \
            the simulated time in `t`. The mock API refuses a `t` more than a day ahead of its clock.

            Sinks (--out, repeatable): `api` posts to --api-base with the agent's client (events, then snapshots, \
            in batches); `ndjson:DIR` writes DIR/<connector id>.snapshots.ndjson and .events.ndjson in the seed's \
            schema; `stdout` prints {"connector_id":"ID","snapshot":{...}} or {"connector_id":"ID","event":{...}} lines. Without --out: api.

            The same --seed, profiles, scenario and --from give the same records, byte for byte.

            Scenario (--scenario FILE, JSON or YAML (.yaml/.yml); examples in fixtures/fleet/): {"incidents": \
            [{"kind": "link_flap", "at": "2h", "duration": "5m", "fraction": 0.1}, {"kind": "upgrade", "at": "6h", \
            "connectors": [0, 1], "version": "0.2.0", "spread": "30m"}]}. Kinds: link_flap, memory_pressure, \
            disk_fill, cpu_saturation, reboot, upgrade, tunnel_unhealthy. Unknown keys and bad times are errors \
            naming their path.

            Examples:
              vconnector fleet --connectors 100 --api-base http://127.0.0.1:8787/client/v4 --account-id ACC --api-token-file ./token
              vconnector fleet --connectors 1000 --from now-1d --to now --out ndjson:/tmp/fleet --seed 7
              vconnector fleet --connectors 20 --scenario fixtures/fleet/scenario-incidents.yaml --from now-6h --to now --out ndjson:/tmp/f
              vconnector fleet check /tmp/fleet
            """
    )

    @Option(help: "Number of virtual connectors.")
    var connectors: Int

    @OptionGroup var apiOptions: FleetAPIOptions

    @Option(
        name: .customLong("connector-ids"),
        help: ArgumentHelp(
            "Use these connectors (one id a line, at least --connectors of them) instead of creating them.",
            valueName: "file"))
    var connectorIDs: String?

    @Option(help: "Seed of every random draw: profiles, sizes, telemetry, incident choices, offline connector ids.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Incidents to play (JSON or YAML; see above and docs/fleet.md).", valueName: "file"))
    var scenario: String?

    @Option(help: ArgumentHelp("Time between two snapshots of a connector (250ms, 10s, 1m).", valueName: "duration"))
    var interval = "10s"

    @Option(
        help: ArgumentHelp(
            "Simulated seconds per wall second (default: real time; a past --from is caught up at full speed).",
            valueName: "x"))
    var speed: Double?

    @Option(
        help: ArgumentHelp(
            "Simulated start: unix seconds, ISO 8601 (2026-11-27T00:00:00Z), now, or now-1d (default: now).",
            valueName: "time"))
    var from: String?

    @Option(
        help: ArgumentHelp("Simulated end, same forms as --from (default: until SIGINT/SIGTERM).", valueName: "time"))
    var to: String?

    @Option(help: ArgumentHelp("Where records go: api, ndjson:DIR, stdout (repeatable).", valueName: "sink"))
    var out: [String] = []

    @Option(
        help: ArgumentHelp(
            "Directory of fixture host trees (proc/, sys/, statvfs.tsv) to draw profiles from (default: the repository's fixtures/hosts).",
            valueName: "dir"))
    var hosts: String?

    @Option(
        help: ArgumentHelp(
            "Run only share K of N of the fleet (connectors whose index is K-1 modulo N): N processes, on N machines, "
                + "with the same options and shards 1/N..N/N, split one fleet exactly. Give them the same --from "
                + "(not the default now) and, across machines, --no-live-host.",
            valueName: "K/N"))
    var shard: String?

    @Flag(
        name: .customLong("no-live-host"),
        help: "Do not use this machine's own snapshot as a profile (only the fixture trees).")
    var noLiveHost = false

    @Option(
        name: .customLong("checkin-interval"),
        help: ArgumentHelp("Wall time between two check-ins of every connector (--out api).", valueName: "duration"))
    var checkinInterval = "60s"

    func validate() throws {
        guard connectors >= 1 else { throw ValidationError("--connectors must be at least 1") }
        guard FleetDuration.seconds(interval) != nil else {
            throw ValidationError("--interval: '\(interval)' is not a duration (10s, 1m)")
        }
        if let shard, FleetShard(shard) == nil {
            throw ValidationError("--shard: '\(shard)' is not K/N with 1 <= K <= N (for example 2/4)")
        }
        guard FleetDuration.seconds(checkinInterval) != nil else {
            throw ValidationError("--checkin-interval: '\(checkinInterval)' is not a duration")
        }
        try apiOptions.validate()
        for sink in out where sink != "api" && sink != "stdout" && !(sink.hasPrefix("ndjson:") && sink.count > 7) {
            throw ValidationError("--out: '\(sink)' is not api, stdout or ndjson:DIR")
        }
    }

    func run() async throws {
        // One malloc arena instead of glibc's eight per core: the fleet's steps allocate on the generating threads
        // and free on the posting ones, and an arena per thread keeps pages no other thread reuses (with
        // MALLOC_ARENA_MAX=1, 10,000 connectors held 240 MB instead of 470 MB, for the same CPU; README "fleet").
        _ = vc_limit_malloc_arenas(1)
        let now = Date().timeIntervalSince1970
        let start = try from.map { try FleetTime.parse($0, now: now, option: "--from") } ?? now
        let end = try to.map { try FleetTime.parse($0, now: now, option: "--to") }
        let scenario = try scenario.map { try ScenarioFile.load(path: $0) } ?? .quiet
        let profiles = try HostProfile.load(
            treesUnder: hosts.map { URL(fileURLWithPath: $0) } ?? HostProfile.repositoryHosts,
            includeLiveHost: !noLiveHost)
        let plan = FleetPlan(
            connectors: connectors, seed: seed, interval: FleetDuration.seconds(interval) ?? 10, start: start, end: end,
            speed: speed,
            scenario: scenario, profiles: profiles, shard: shard.flatMap(FleetShard.init) ?? .whole
        )
        let problems = plan.problems()
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "; ")) }

        let outs = out.isEmpty ? ["api"] : out
        var sinks: [any FleetSink] = []
        var api: FleetAPI?
        let members = plan.members
        var ids = members.map(plan.offlineID(of:))
        var attested: [Bool]?
        if outs.contains("api") {
            let client = try apiOptions.client(for: "--out api")
            api = client
            if let connectorIDs {
                let all = try readIDs(connectorIDs)
                ids = members.map { all[$0] }
            } else {
                ids = try await client.connectors(indices: members, seed: seed)
            }
            attested = await client.attest(ids)
            let accepted = attested?.filter { $0 }.count ?? 0
            note("\(ids.count) connectors\(plan.shard == .whole ? "" : " (shard \(plan.shard))") ready at \(client.base.absoluteString); \(accepted) attested")
            sinks.append(APISink(api: client, eager: end == nil || speed != nil))
        }
        for sink in outs {
            if sink == "stdout" { sinks.append(StandardOutputSink()) }
            if sink.hasPrefix("ndjson:") {
                sinks.append(try NDJSONSink(directory: URL(fileURLWithPath: String(sink.dropFirst(7)))))
            }
        }
        var checkIn: (@Sendable () async -> Set<String>)?
        if let api {
            let fleetIDs = ids
            let sites = SiteWatch(api: api)
            checkIn = {
                _ = await api.checkIn(fleetIDs)
                return await sites.changed(fleetIDs)
            }
        }
        let fleet = try Fleet(
            plan: plan, ids: ids, attested: attested, sinks: sinks,
            checkinInterval: FleetDuration.seconds(checkinInterval) ?? 60, checkIn: checkIn
        )
        // Every connector records Leave and the sinks are flushed; a second signal later than a second exits at once.
        let signals = SignalStop(exitNote: "the connectors' Leave and queued records are not sent") { fleet.stop() }
        note(
            "profiles: \(profiles.map(\.name).joined(separator: ", ")); seed \(seed); \(scenario.incidents.count) incidents; running"
        )
        let summary = try await fleet.run()
        withExtendedLifetime(signals) {}
        var line =
            "fleet: \(summary.connectors) connectors, \(summary.snapshots) snapshots and \(summary.events) events over "
        line += "\(Int(summary.simulatedSeconds)) simulated s in \(String(format: "%.1f", summary.wallSeconds)) s"
        if let sink = sinks.compactMap({ $0 as? APISink }).first {
            let tally = sink.tally
            line +=
                "; API: \(tally.acknowledgedRecords) acknowledged, \(tally.retries) retried posts, \(tally.rejectedRecords) rejected"
            if let problem = tally.lastProblem { line += " (last problem: \(problem))" }
        }
        note(line)
    }

    private func readIDs(_ path: String) throws -> [String] {
        let ids = try FleetAPIOptions.connectorIDs(file: path)
        guard ids.count >= connectors else {
            throw ValidationError("--connector-ids: \(path) has \(ids.count) ids for \(connectors) connectors")
        }
        return Array(ids.prefix(connectors))
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

struct FleetCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Check a recorded fleet (NDJSON files, or what the API holds) against the invariants of docs/fleet.md; exit 1 on any violation.",
        discussion: """
            Reads every *.ndjson file of DIR; the connector is the file name up to its first dot, each line a \
            snapshot or an event. With --api instead, reads every connector of the account (or those of \
            --connector-ids) from the API: the telemetry lists, then each snapshot and event. Prints one line per \
            violation (connector, t, field, what is wrong) and a summary. Works on real data as well: e.g. \
            successive `vconnector snapshot` outputs appended to host.snapshots.ndjson, an agent's undelivered spool \
            (sqlite3 STATE/spool.sqlite "select body from records order by id"), or an account's connectors.

            Examples:
              vconnector fleet check /tmp/fleet
              vconnector fleet check --api --api-base http://127.0.0.1:8787/client/v4 --account-id ACC --api-token-file ./token --from now-1h
            """
    )

    @Argument(help: ArgumentHelp("Directory of NDJSON files.", valueName: "dir"))
    var directory: String?

    @Flag(help: "Check what the API holds instead of a directory (needs --api-base, --account-id and a token).")
    var api = false

    @OptionGroup var apiOptions: FleetAPIOptions

    @Option(
        name: .customLong("connector-ids"),
        help: ArgumentHelp("With --api: only these connectors (one id a line); default every connector of the account.", valueName: "file"))
    var connectorIDs: String?

    @Option(help: ArgumentHelp("With --api: records from this time (same forms as fleet --from; default: all).", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("With --api: records up to this time (default: all).", valueName: "time"))
    var to: String?

    @Option(help: "Print at most this many violations (all are counted).")
    var limit = 200

    func validate() throws {
        try apiOptions.validate()
        switch (directory, api) {
        case (nil, false): throw ValidationError("give a directory of NDJSON files, or --api")
        case (.some, true): throw ValidationError("give a directory or --api, not both")
        default: break
        }
        if !api, connectorIDs != nil || from != nil || to != nil {
            throw ValidationError("--connector-ids, --from and --to go with --api")
        }
    }

    func run() async throws {
        let report: FleetChecker.Report
        do {
            if let directory {
                report = try FleetChecker.check(directory: directory)
            } else {
                let client = try apiOptions.client(for: "check --api")
                let now = Date().timeIntervalSince1970
                let ids = try connectorIDs.map(FleetAPIOptions.connectorIDs(file:))
                report = try await FleetChecker.check(
                    api: client, connectors: ids,
                    from: try from.map { try FleetTime.parse($0, now: now, option: "--from") } ?? 0,
                    to: try to.map { try FleetTime.parse($0, now: now, option: "--to") })
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw CommandFailure("\(error)")
        }
        for violation in report.violations.prefix(limit) { print(violation) }
        if report.violations.count > limit { print("... and \(report.violations.count - limit) more") }
        print(
            "\(report.connectors) connectors, \(report.snapshots) snapshots, \(report.events) events: \(report.violations.count) violations"
        )
        if !report.violations.isEmpty { throw ExitCode(1) }
    }
}
