import AgentCommandLine
import ArgumentParser
import ConnectorAPI
import Foundation
import SiteNetwork
import SiteRules

struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Bring up a site with its surroundings: upstream routers per WAN and DHCP hosts per LAN.",
        discussion: """
            `lab up` applies the site (like `site apply`), then adds an upstream namespace per WAN (vu-<key>-portN: \
            the gateway address of a static WAN, a DHCP server on 100.64.N.0/24 for a DHCP WAN, the DHCP server \
            a relay LAN forwards to) and N host namespaces per LAN (vh-<key>-portN-I) that take real leases \
            from the connector (the first hosts of a LAN with reservations use the reserved MACs).

            Examples:
              vconnector lab up fixtures/sites/good/branch-2wan-2lan.json --hosts 2
              vconnector lab status fixtures/sites/good/branch-2wan-2lan.json
              vconnector lab down fixtures/sites/good/branch-2wan-2lan.json
            """,
        subcommands: [Up.self, Verify.self, Fault.self, Down.self, Status.self]
    )

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply the site and build the lab around it.")

        @Argument(help: ArgumentHelp(
            "The site configs: JSON {site, wans, lans, acls, ipsec_tunnels, routes}. Several sites share one lab edge, so their tunnels reach each other.",
            valueName: "file"))
        var files: [String]

        @Option(help: "Host namespaces per LAN.")
        var hosts = 1

        @Option(help: ArgumentHelp("Seconds to wait for every lease.", valueName: "seconds"))
        var timeout: Double = 20

        @Flag(help: "Warn about keys the site config should not have, instead of refusing it.")
        var lenient = false

        @OptionGroup var host: HostOptions
        @OptionGroup var log: LogOptions

        func run() async throws {
            log.bootstrap()
            try host.requireRoot()
            guard (0...20).contains(hosts) else { throw ValidationError("--hosts must be 0 to 20") }
            guard !files.isEmpty else { throw ValidationError("give at least one site config file") }
            // Every file is checked before any lab is built.
            let configs = try files.map { try (file: $0, config: loadSiteConfig($0, lenient: lenient)) }
            let lab = Lab(reconciler: SiteReconciler(stateRoot: host.stateRoot))
            for (file, config) in configs { try up(config, file: file, lab: lab) }
        }

        private func up(_ config: SiteConfig, file: String, lab: Lab) throws {
            do {
                let report = try lab.up(config, hostsPerLAN: hosts, timeout: .milliseconds(Int(timeout * 1000)))
                print("site: \(report.apply.operations.count) operations; connector namespace \(report.apply.names.connector)")
                for note in report.apply.notes { print("note: \(note)") }
                for upstream in report.upstreams { print("upstream: \(upstream)") }
                for labHost in report.hosts {
                    print("host: \(labHost.namespace) on \(TextRules.printable(labHost.lan)): \(labHost.lease.map { "lease \($0.cidr)" } ?? "no lease yet")")
                }
                for link in report.apply.pendingLeases { print("note: \(link) has no DHCP lease yet") }
            } catch let error as SiteValidationError {
                throw CommandFailure(error.description)
            } catch {
                throw CommandFailure("lab up failed: \(error)\n(`vconnector lab down \(file)` removes what was made)")
            }
        }
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tear down the lab and the site (same as `site teardown`).")

        @Argument(help: ArgumentHelp("The site configs the labs were brought up from (the edge goes with the last site).", valueName: "file"))
        var files: [String]

        @OptionGroup var host: HostOptions
        @OptionGroup var log: LogOptions

        func run() async throws {
            log.bootstrap()
            try host.requireRoot()
            guard !files.isEmpty else { throw ValidationError("give at least one site config file") }
            let reconciler = SiteReconciler(stateRoot: host.stateRoot)
            for file in files {
                let config = try loadSiteConfig(file, lenient: true)
                let operations = try reconciler.teardown(config)
                for operation in operations { print("done: \(operation)") }
                print("\(operations.count) operation\(operations.count == 1 ? "" : "s"); lab and site removed")
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the lab's namespaces, links, addresses and leases.")

        @Argument(help: ArgumentHelp("The site config the lab was brought up from.", valueName: "file"))
        var file: String

        @OptionGroup var host: HostOptions

        @Flag(help: "Print the namespaces, links, addresses and leases as JSON on stdout.")
        var json = false

        func run() async throws {
            try await JSONOutput.run(json) {
                try host.requireRoot()
                let config = try loadSiteConfig(file, lenient: true)
                let status = LabStatus(SiteReconciler(stateRoot: host.stateRoot).names(for: config))
                if json { return try JSONOutput.print(status) }
                for line in status.lines { print(line) }
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check with real packets that a lab behaves as its site config means; exit 1 on any mismatch.",
            discussion: """
                For every ordered pair of LANs (ICMP, the ports the ACLs name, tcp/22, tcp/80, udp/53) and each LAN to \
                the internet (a sink every upstream router holds, \(LabVerifier.internetAddress)), the config's verdict \
                and the rule that decides it (`vconnector site explain` asks one such question) are compared with \
                what real probes between the lab's hosts do: allowed or dropped, the source address the far side \
                saw (NAT), the WAN the packet left by. Each lab host also runs a fresh DHCP exchange, checked against \
                its LAN's pool or reservation, router and DNS servers. Needs `lab up FILE` (at least one host per LAN).

                Prints a matrix (rows: source -> destination, columns: probes; a cell says allow or drop when the \
                packet did what the config says, FAIL when not), each failure with the rule that predicted it, and \
                `N passed, N failed`.

                --faults wan-down:NAME then takes that WAN's upstream away (it drops every packet), runs the \
                connector's WAN health monitor until it withdraws the WAN's default route, checks that traffic leaves \
                by the next WAN (or the remaining ECMP members), brings the WAN back and checks again; the notes say \
                how long failover and recovery took. tunnel-down:NAME does the same to an IPsec tunnel: its flow is \
                dropped upstream, the tunnel health monitor withdraws its routes, and the checks (LAN-to-LAN via the \
                edge among them) run on the next tunnel, then on the tunnel brought back.

                Examples:
                  vconnector lab verify fixtures/demo/site.json
                  vconnector lab verify site.json --json
                  vconnector lab verify site.json --junit verify.xml
                  vconnector lab verify site.json --faults wan-down:isp-a
                  vconnector lab verify fixtures/sites/good/tunnel-site-a.json --faults tunnel-down:a-primary
                """)

        @Argument(help: ArgumentHelp("Site configs whose labs are up.", valueName: "file"))
        var files: [String]

        @Flag(help: "Print the report as JSON (every check with expected, seen and the rule) instead of the matrix.")
        var json = false

        @Option(help: ArgumentHelp("Also write the checks as JUnit XML to this file (one test case per check).", valueName: "file"))
        var junit: String?

        @Option(help: ArgumentHelp("How long a probe waits before its packet counts as dropped.", valueName: "seconds"))
        var timeout: Double = 0.7

        @Option(help: ArgumentHelp(
            "Faults to verify failover with, comma-separated: wan-down:NAME, tunnel-down:NAME (a WAN's or tunnel's name, id or link).",
            valueName: "faults"))
        var faults: String?

        /// The faults of `--faults`, as (kind, name).
        var faultList: [(kind: String, name: String)] {
            get throws {
                try (faults ?? "").split(separator: ",").map { item in
                    let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
                    guard parts.count == 2, ["wan-down", "tunnel-down"].contains(parts[0]), !parts[1].isEmpty else {
                        throw ValidationError("--faults takes wan-down:NAME or tunnel-down:NAME, comma-separated (got '\(TextRules.printable(String(item)))')")
                    }
                    return (parts[0], parts[1])
                }
            }
        }

        /// The WANs `--faults` takes down.
        var wanDowns: [String] { get throws { try faultList.filter { $0.kind == "wan-down" }.map(\.name) } }
        /// The tunnels `--faults` takes down.
        var tunnelDowns: [String] { get throws { try faultList.filter { $0.kind == "tunnel-down" }.map(\.name) } }

        @OptionGroup var host: HostOptions
        @OptionGroup var log: LogOptions

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("give the site config FILE of a lab that is up") }
            guard timeout > 0, timeout <= 30 else { throw ValidationError("--timeout must be more than 0 and at most 30 seconds") }
            _ = try wanDowns
        }

        func run() async throws {
            log.bootstrap()
            try await JSONOutput.run(json) { try verify() }
        }

        private func verify() throws {
            try host.requireRoot()
            var verifier = LabVerifier(reconciler: SiteReconciler(stateRoot: host.stateRoot))
            verifier.timeout = .milliseconds(Int(timeout * 1000))
            var reports: [VerifyReport] = []
            let configs = try files.map { try loadSiteConfig($0, lenient: true) }
            for (index, file) in files.enumerated() {
                let config = configs[index]
                let peers = configs.enumerated().filter { $0.offset != index }.map(\.element)
                do {
                    reports.append(try verifier.verify(config, wanDowns: try wanDowns, tunnelDowns: try tunnelDowns, peers: peers))
                } catch {
                    throw CommandFailure.site(error, prefix: "\(file): ")
                }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let data = try encoder.encode(reports.count == 1 ? AnyEncodable(reports[0]) : AnyEncodable(reports))
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            } else {
                for report in reports { print(report.text, terminator: "") }
            }
            if let junit {
                try reports.map(\.junit).joined().write(toFile: junit, atomically: true, encoding: .utf8)
            }
            if reports.contains(where: { $0.failed > 0 }) { throw ExitCode(1) }
        }
    }
}

extension LabCommand {
    struct Fault: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Inject a failure into a lab, or take it back: wan-down/wan-up NAME, tunnel-down/tunnel-up NAME, node-down/node-up NODE, ha-link-down/up.",
            discussion: """
                wan-down makes the WAN's upstream router drop every packet (its link stays up, as when an ISP fails \
                beyond the modem), so only the connector's health probes notice; wan-up undoes it. A running agent \
                (or `lab verify --faults`) withdraws the WAN's default route after two missed probes at the WAN's \
                health_check_rate and restores it after two answered ones.

                tunnel-down makes the upstream drop one IPsec tunnel's ESP-in-UDP flow (the other tunnels on that WAN \
                keep working); tunnel-up undoes it. A running agent withdraws the tunnel's routes after two lost \
                health checks, so traffic moves to the next tunnel by its WAN's priority.

                For an HA site: node-down primary|secondary kills a node the hard way (its links go down, then every \
                process of it gets SIGKILL), node-up applies it again (it comes back as standby); ha-link-down makes \
                the fabric drop what either node sends on the HA link, ha-link-up undoes it. `lab status` shows \
                which node is active.

                Examples:
                  vconnector lab fault site.json wan-down isp-a
                  vconnector lab fault site.json tunnel-down a-primary
                  vconnector lab fault ha-site.json node-down primary
                """)

        @Argument(help: ArgumentHelp("The site config the lab was brought up from.", valueName: "file"))
        var file: String

        @Argument(help: ArgumentHelp("wan-down, wan-up, tunnel-down, tunnel-up, node-down, node-up, ha-link-down or ha-link-up.", valueName: "fault"))
        var kind: String

        @Argument(help: ArgumentHelp("The WAN's (or tunnel's) name, id or link; the node (primary or secondary) of node-down/node-up.", valueName: "name"))
        var target: String?

        @OptionGroup var host: HostOptions
        @OptionGroup var log: LogOptions

        func run() async throws {
            log.bootstrap()
            try host.requireRoot()
            let config = try loadSiteConfig(file, lenient: true)
            do {
                let fault = try LabFault(kind: kind, target: target ?? "")
                try Lab(reconciler: SiteReconciler(stateRoot: host.stateRoot)).inject(fault, config)
                print("done: \(fault)")
            } catch {
                throw CommandFailure("\(error)")
            }
        }
    }
}

/// Either one report or a list, encoded as itself.
private struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
