import AgentCommandLine
import ArgumentParser
import ConnectorAPI
import Foundation
import SiteNetwork

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
        subcommands: [Up.self, Down.self, Status.self]
    )

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply the site and build the lab around it.")

        @Argument(help: ArgumentHelp("The site config: JSON {site, wans, lans, acls}.", valueName: "file"))
        var file: String

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
            let config = try loadSiteConfig(file, lenient: lenient)
            let lab = Lab(reconciler: SiteReconciler(stateRoot: host.stateRoot))
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

        @Argument(help: ArgumentHelp("The site config the lab was brought up from.", valueName: "file"))
        var file: String

        @OptionGroup var host: HostOptions
        @OptionGroup var log: LogOptions

        func run() async throws {
            log.bootstrap()
            try host.requireRoot()
            let config = try loadSiteConfig(file, lenient: true)
            let reconciler = SiteReconciler(stateRoot: host.stateRoot)
            let operations = try reconciler.teardown(config)
            for operation in operations { print("done: \(operation)") }
            print("\(operations.count) operation\(operations.count == 1 ? "" : "s"); lab and site removed")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the lab's namespaces, links, addresses and leases.")

        @Argument(help: ArgumentHelp("The site config the lab was brought up from.", valueName: "file"))
        var file: String

        @OptionGroup var host: HostOptions

        func run() async throws {
            try host.requireRoot()
            let config = try loadSiteConfig(file, lenient: true)
            let reconciler = SiteReconciler(stateRoot: host.stateRoot)
            let names = reconciler.names(for: config)
            for line in LabStatus.lines(names) { print(line) }
        }
    }
}
