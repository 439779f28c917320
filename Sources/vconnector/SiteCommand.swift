import Agent
import AgentCommandLine
import ArgumentParser
import ConnectorAPI
import Foundation
import Logging
import SiteNetwork
import SiteRules

struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Validate a site config, apply it to network namespaces on this host, or tear it down.",
        discussion: """
            The config is JSON in the API's shapes: {"site": {...}, "wans": [...], "lans": [...], "acls": [...]} \
            (the objects mock-api serves), from a FILE or fetched from the API with --api.

            apply makes the site real: a connector namespace (vc-<key>) with one veth per physport/VLAN into \
            a fabric namespace (vf-<key>) of segment bridges, addresses and default routes via netlink, dnsmasq \
            per LAN (DHCP server or relay), busybox udhcpc for DHCP WANs, NAT and the ACL policy in nft table \
            ip vconnector. It prints the operations it performed; a second apply of the same config performs none.

            Examples:
              vconnector site validate fixtures/sites/good/branch-2wan-2lan.json
              vconnector site apply --dry-run fixtures/sites/good/branch-2wan-2lan.json
              vconnector site apply fixtures/sites/good/branch-2wan-2lan.json
              vconnector site teardown fixtures/sites/good/branch-2wan-2lan.json
              VCONNECTOR_API_TOKEN=... vconnector site apply --api --account-id ACC --site-id SITE \\
                --api-base http://127.0.0.1:8787/client/v4
            """,
        subcommands: [Validate.self, Explain.self, Apply.self, Teardown.self, Namespace.self, Status.self]
    )
}

/// Where the site config comes from: a file, or the API.
struct SiteSource: ParsableArguments {
    @Argument(help: ArgumentHelp("The site config: JSON {site, wans, lans, acls}.", valueName: "file"))
    var file: String?

    @Flag(help: "Fetch the site config from the API instead of a file (needs --account-id, --site-id, VCONNECTOR_API_TOKEN).")
    var api = false

    @Option(help: ArgumentHelp("API root for --api.", valueName: "url"))
    var apiBase = "https://api.cloudflare.com/client/v4"

    @Option(help: ArgumentHelp("Account id for --api.", valueName: "id"))
    var accountID: String?

    @Option(help: ArgumentHelp("Site id for --api.", valueName: "id"))
    var siteID: String?

    @Flag(help: "Warn about keys a site config FILE should not have, instead of refusing it (the API's own answers are always read leniently).")
    var lenient = false

    func validate() throws {
        if api {
            guard file == nil else { throw ValidationError("give a FILE or --api, not both") }
            guard accountID != nil, siteID != nil else { throw ValidationError("--api needs --account-id and --site-id") }
            guard ProcessInfo.processInfo.environment["VCONNECTOR_API_TOKEN"] != nil else {
                throw ValidationError("--api needs the API token in VCONNECTOR_API_TOKEN")
            }
        } else if file == nil {
            throw ValidationError("give the site config FILE (or --api)")
        }
    }

    func load() async throws -> SiteConfig {
        if let file {
            return try loadSiteConfig(file, lenient: lenient)
        }
        guard let base = URL(string: apiBase), let accountID, let siteID else { throw CommandFailure("bad --api-base \(apiBase)") }
        let token = ProcessInfo.processInfo.environment["VCONNECTOR_API_TOKEN"] ?? ""
        let client = APIClient(base: base, accountID: accountID, connectorID: "", token: token)
        let sitePath = "/accounts/\(accountID)/magic/sites/\(siteID)"
        do {
            let site = try await client.get(Site.self, sitePath)
            return SiteConfig(
                site: site, lans: try await client.get([LAN].self, "\(sitePath)/lans"),
                wans: try await client.get([WAN].self, "\(sitePath)/wans"), acls: try await client.get([ACL].self, "\(sitePath)/acls"))
        } catch {
            throw CommandFailure("cannot fetch site \(siteID) from \(apiBase): \(error)")
        }
    }
}

/// Options of the commands that change the host.
struct HostOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Directory for runtime state (daemon configs, pid and lease files), created 0700.", valueName: "dir"))
    var stateRoot = SiteNames.defaultStateRoot

    func requireRoot() throws {
        guard getuid() == 0 else { throw CommandFailure("this needs root (network namespaces, netlink, nftables)") }
    }
}

extension SiteCommand {
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a site config against every rule; print every problem with its JSON path. Touches nothing.",
            discussion: """
                Exits 0 when the config can be applied, 1 otherwise. With --json: {"ok": true, "site", "wans", "lans", \
                "acls"} or {"ok": false, "error": {"code": "invalid_config", "message", "problems": [{"path", "message"}]}} \
                (codes: invalid_config, unknown_key, malformed_json, wrong_shape, unreadable_file).

                Example:
                  vconnector site validate site.json
                """)

        @OptionGroup var source: SiteSource
        @OptionGroup var log: LogOptions

        @Flag(help: "Print the result as JSON on stdout (problems with their JSON paths and a stable error code).")
        var json = false

        struct Valid: Encodable {
            var ok = true
            var site: String
            var wans: Int
            var lans: Int
            var acls: Int
        }

        func run() async throws {
            log.bootstrap()
            try await JSONOutput.run(json) {
                let config = try await source.load()
                let problems = SiteValidator.validate(config)
                guard problems.isEmpty else { throw CommandFailure.site(SiteValidationError(problems: problems)) }
                let name = config.site.name ?? config.site.id ?? "?"
                if json {
                    try JSONOutput.print(Valid(site: name, wans: config.wans.count, lans: config.lans.count, acls: config.acls.count))
                } else {
                    print("valid: site \(TextRules.printable(name)): \(Self.count(config.wans.count, "WAN")), \(Self.count(config.lans.count, "LAN")), \(Self.count(config.acls.count, "ACL"))")
                }
            }
        }

        /// `1 ACL`, `2 ACLs`.
        static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate, plan, observe, diff, apply and verify a site config on this host.",
            discussion: """
                Prints each operation performed (with --dry-run: each operation it would perform) and a summary. \
                An invalid config is rejected before anything is touched; what is already applied stays intact.

                Example:
                  vconnector site apply site.json
                """)

        @OptionGroup var source: SiteSource
        @OptionGroup var host: HostOptions

        @Flag(help: "Print the operations an apply would perform now, and change nothing.")
        var dryRun = false

        @Option(help: ArgumentHelp("For an HA site: apply only this node (primary or secondary); default: both.", valueName: "node"))
        var node: HANode?

        @Option(help: ArgumentHelp("Seconds to wait for the first lease of a DHCP WAN started by this apply (default 0: apply returns at once; udhcpc keeps trying and the next apply, or the agent, applies the lease).", valueName: "seconds"))
        var dhcpWait: Double = 0

        @Flag(help: "Print the result as JSON on stdout: the operations (or, with --dry-run, those it would perform), or the error with a stable code.")
        var json = false

        @OptionGroup var log: LogOptions

        struct Applied: Encodable {
            var ok = true
            var site: String
            var namespace: String
            var dryRun: Bool
            var operations: [String]
            var notes: [String]
            var pendingLeases: [String]
            var seconds: Double

            enum CodingKeys: String, CodingKey {
                case ok, site, namespace, operations, notes, seconds
                case dryRun = "dry_run"
                case pendingLeases = "pending_leases"
            }
        }

        func run() async throws {
            log.bootstrap()
            try await JSONOutput.run(json) {
                try host.requireRoot()
                let config = try await source.load()
                let reconciler = SiteReconciler(stateRoot: host.stateRoot)
                let names = reconciler.names(for: config)
                let started = ContinuousClock.now
                do {
                    if dryRun {
                        let operations = try reconciler.plan(config, node: node)
                        if json {
                            try JSONOutput.print(Applied(site: names.key, namespace: names.connector, dryRun: true, operations: operations.map(\.description),
                                                         notes: [], pendingLeases: [], seconds: (ContinuousClock.now - started).seconds))
                            return
                        }
                        for operation in operations { print("would: \(operation)") }
                        print("\(Validate.count(operations.count, "operation")) would be performed for site \(names.key)")
                        return
                    }
                    let report = try reconciler.apply(config, dhcpWait: .milliseconds(Int(dhcpWait * 1000)), node: node)
                    if json {
                        try JSONOutput.print(Applied(site: names.key, namespace: names.connector, dryRun: false, operations: report.operations.map(\.description),
                                                     notes: report.notes, pendingLeases: report.pendingLeases, seconds: (ContinuousClock.now - started).seconds))
                        return
                    }
                    for operation in report.operations { print("done: \(operation)") }
                    for note in report.notes { print("note: \(note)") }
                    for link in report.pendingLeases { print("note: \(link) has no DHCP lease yet; udhcpc keeps trying and the next apply (or the agent) applies it") }
                    let namespaces = config.site.haMode != true || node != nil
                        ? reconciler.names(for: config, node: node).connector
                        : HANode.allCases.map { reconciler.names(for: config, node: $0).connector }.joined(separator: " and ")
                    print("\(Validate.count(report.operations.count, "operation")) in \(Lab.seconds(ContinuousClock.now - started)); connector namespace \(namespaces)")
                } catch let error as SiteValidationError {
                    throw CommandFailure.site(error)
                } catch {
                    throw CommandFailure.site(error, prefix: "apply failed: ")
                }
            }
        }
    }

    struct Teardown: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove everything vconnector created for a site (and its lab), and nothing else.",
            discussion: """
                Stops the site's dnsmasq and udhcpc, deletes its namespaces (with their links, routes and nft table) \
                and its state directory. Name the site by its config FILE, --key, or --all for every site.

                Examples:
                  vconnector site teardown site.json
                  vconnector site teardown --all
                """)

        @Argument(help: ArgumentHelp("The site config the site was applied from.", valueName: "file"))
        var file: String?

        @Option(help: ArgumentHelp("The site's key (the <key> of vc-<key>).", valueName: "key"))
        var key: String?

        @Flag(help: "Tear down every site applied on this host.")
        var all = false

        @OptionGroup var host: HostOptions
        @OptionGroup var log: LogOptions

        func run() async throws {
            log.bootstrap()
            try host.requireRoot()
            let reconciler = SiteReconciler(stateRoot: host.stateRoot)
            guard all || key != nil || file != nil else { throw ValidationError("name the site: FILE, --key KEY or --all") }
            var sites: [SiteNames] = []
            do {
                if all { sites = try reconciler.appliedSites().map { try SiteNames(validatingKey: $0, stateRoot: host.stateRoot) } }
                if let key { sites.append(try SiteNames(validatingKey: key, stateRoot: host.stateRoot)) }
            } catch { throw CommandFailure("\(error)") }
            var count = 0
            if let file {
                let operations = try reconciler.teardown(try loadSiteConfig(file, lenient: true))
                for operation in operations { print("done: \(operation)") }
                count += operations.count
            }
            for names in sites {
                let operations = try reconciler.teardown(names)
                for operation in operations { print("done: \(operation)") }
                count += operations.count
            }
            let total = sites.count + (file == nil ? 0 : 1)
            print("\(count) operation\(count == 1 ? "" : "s"); \(total) site\(total == 1 ? "" : "s") torn down")
        }
    }

    struct Namespace: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the connector namespace a site gets (for `snapshot --netns` and `agent --netns`).",
            discussion: "Example:\n  vconnector snapshot --netns $(vconnector site namespace --site-id SITE_ID)")

        @Option(help: ArgumentHelp("The site's id.", valueName: "id"))
        var siteID: String?

        @Argument(help: ArgumentHelp("Or the site config file.", valueName: "file"))
        var file: String?

        func run() throws {
            if let siteID { print(SiteNames(key: SiteNames.key(for: siteID)).connector); return }
            guard let file else { throw ValidationError("give --site-id ID or the site config FILE") }
            print(SiteNames(site: try loadSiteConfig(file).site).connector)
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the sites applied on this host and what a re-apply of each would do.")

        @OptionGroup var host: HostOptions

        @Flag(help: "Print the sites as JSON on stdout.")
        var json = false

        struct Sites: Encodable {
            var ok = true
            var sites: [Applied]
        }

        struct Applied: Encodable {
            var key: String
            var name: String?
            var namespace: String
            var lastApplyOperations: Int?
            /// What a re-apply would do now; nil when the applied config is unknown.
            var drift: [String]?
            var downWANs: [String]
            var leases: [Snapshot.DHCPLease]
            /// An HA pair's nodes and their state (`active`, `standby`, ...); nil for a single connector.
            var ha: [String: String]?
            /// The IPsec tunnels as the snapshot reports them (health from the last probes).
            var tunnels: [Snapshot.Tunnel]
            /// The tunnel links whose charon has an established IKE SA and an installed child SA now.
            var establishedTunnels: [String]

            enum CodingKeys: String, CodingKey {
                case key, name, namespace, drift, leases, ha, tunnels
                case establishedTunnels = "established_tunnels"
                case lastApplyOperations = "last_apply_operations"
                case downWANs = "down_wans"
            }
        }

        func run() async throws {
            try await JSONOutput.run(json) {
                try host.requireRoot()
                let reconciler = SiteReconciler(stateRoot: host.stateRoot)
                let sites = reconciler.appliedSites().map { key in
                    let names = SiteNames(key: key, stateRoot: host.stateRoot)
                    let config = reconciler.appliedConfig(names)
                    return Applied(
                        key: key, name: config?.site.name, namespace: names.connector,
                        lastApplyOperations: reconciler.lastApply(names)?.operations,
                        drift: config.map { ((try? reconciler.plan($0)) ?? []).map(\.description) },
                        downWANs: reconciler.downWANs(names).sorted(), leases: SiteTelemetry.dhcpLeases(names), ha: HAState.pair(names),
                        tunnels: config.map { TunnelHealth.snapshotTunnels($0, names: names) } ?? [],
                        establishedTunnels: config.flatMap { try? Planner.desiredState(for: $0, names: names, leases: [:]) }?.tunnelLinks
                            .filter { TunnelSessions.isUp($0.instance, namespace: names.connector) }.map(\.name) ?? [])
                }
                if json { return try JSONOutput.print(Sites(sites: sites)) }
                if sites.isEmpty { print("no site applied on this host") }
                for site in sites {
                    print("site \(site.key) \(TextRules.printable(site.name ?? "")) namespace \(site.namespace)")
                    if let ha = site.ha { print("  " + HAState.line(ha, SiteNames(key: site.key))) }
                    if let operations = site.lastApplyOperations { print("  last apply: \(Validate.count(operations, "operation"))") }
                    if let drift = site.drift { print("  drift: \(drift.isEmpty ? "none" : drift.joined(separator: "; "))") }
                    if !site.downWANs.isEmpty { print("  WANs down (default route withdrawn): \(site.downWANs.joined(separator: ", "))") }
                    for tunnel in site.tunnels {
                        let recent = (tunnel.recentHealthyPings ?? 0) + (tunnel.recentUnhealthyPings ?? 0)
                        let sa = site.establishedTunnels.contains(tunnel.interfaceName) ? "SAs up" : "no SA"
                        print("  tunnel \(TextRules.printable(tunnel.tunnelId)) on \(tunnel.interfaceName): \(sa), health \(tunnel.healthState)"
                              + (recent > 0 ? " (\(tunnel.recentHealthyPings ?? 0) of the last \(recent) checks answered)" : " (no health check run yet)"))
                    }
                    for lease in site.leases {
                        print("  lease \(lease.interfaceName) \(lease.ipAddress) \(lease.macAddress) \(TextRules.printable(lease.hostname))")
                    }
                }
            }
        }
    }

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say what the config does with one packet, and which rule decides it. Touches nothing.",
            discussion: """
                Answers from the config alone, by the rules apply builds: LAN-to-LAN traffic is dropped unless an ACL \
                allows it (the first that matches decides; ports are the destination side's), anything else leaves \
                by the lowest-priority WAN(s), masqueraded to that WAN's address or mapped by a static NAT.

                Examples:
                  vconnector site explain site.json --from office --to lab --proto tcp --port 22
                  vconnector site explain site.json --from 192.168.10.50 --to 172.30.9.20 --proto tcp --port 631
                  vconnector site explain site.json --from lab --to internet --proto icmp
                """)

        @OptionGroup var source: SiteSource

        @Option(help: ArgumentHelp("Where the packet comes from: a LAN's name, id or link, or an address inside a LAN.", valueName: "lan|address"))
        var from: String

        @Option(help: ArgumentHelp("Where it goes: a LAN, an address, or `internet`.", valueName: "lan|address|internet"))
        var to: String

        @Option(help: ArgumentHelp("icmp, tcp or udp.", valueName: "proto"))
        var proto: String = "tcp"

        @Option(help: ArgumentHelp("The destination port (tcp and udp).", valueName: "port"))
        var port: Int?

        @Flag(help: "Print the decision as JSON.")
        var json = false

        func validate() throws {
            guard let parsed = Probe.Proto(rawValue: proto) else { throw ValidationError("--proto must be icmp, tcp or udp") }
            if parsed != .icmp {
                guard let port, (1...65535).contains(port) else { throw ValidationError("--port (1-65535) is needed with --proto \(proto)") }
            }
        }

        func run() async throws {
            let config = try await source.load()
            let problems = SiteValidator.validate(config)
            guard problems.isEmpty else { throw CommandFailure(SiteValidationError(problems: problems).description) }
            let probe = Probe(Probe.Proto(rawValue: proto) ?? .tcp, port: port)
            let decision: Decision
            do { decision = try SiteExplainer(config).explain(from: from, to: to, probe: probe) } catch { throw CommandFailure("\(error)") }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                FileHandle.standardOutput.write(try encoder.encode(decision) + Data("\n".utf8))
                return
            }
            var line = "\(decision.verdict.rawValue): \(TextRules.printable(from)) -> \(TextRules.printable(to)) \(probe) by \(decision.rule)"
            if let translated = decision.translatedSource { line += "; the far side sees \(translated)" }
            print(line)
        }
    }
}

/// `--node primary|secondary`.
extension HANode: ExpressibleByArgument {}
