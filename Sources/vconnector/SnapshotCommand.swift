import AgentCommandLine
import ArgumentParser
import ConnectorAPI
import Foundation
import Logging
import SiteNetwork
import Telemetry

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Print one telemetry snapshot of this host (or of a network namespace) as JSON.",
        discussion: """
            Reads the real kernel counters (/proc, /sys, netlink) into the documented snapshot schema and \
            prints it on stdout. Sections the kernel does not offer are left out; a section whose source \
            is malformed is dropped with a warning on stderr, the rest of the snapshot is still printed.

            Examples:
              vconnector snapshot --pretty
              vconnector snapshot --netns vc-site1 --pretty
              vconnector snapshot --no-netlink \\
                --proc-root fixtures/hosts/linux-4/proc --sys-root fixtures/hosts/linux-4/sys
            """
    )

    @Flag(help: "Indent the JSON for reading.")
    var pretty = false

    @Option(help: ArgumentHelp("Root of the proc tree to read.", valueName: "dir"))
    var procRoot = "/proc"

    @Option(help: ArgumentHelp("Root of the sys tree to read.", valueName: "dir"))
    var sysRoot = "/sys"

    @Option(
        help: ArgumentHelp(
            "Report interfaces, netdevs, snmp and bonds of this network namespace (an `ip netns` name or a path).",
            valueName: "name"))
    var netns: String?

    @Option(
        help: ArgumentHelp(
            "Where `site apply` keeps its state: with --netns vc-<key> (or an HA secondary's vc-<key>-s), the site's DHCP leases, delta, epsilon and ha_state come from there.",
            valueName: "dir"))
    var siteStateRoot = SiteNames.defaultStateRoot

    @Flag(help: "Do not read interfaces over netlink (for fixture trees, which have no netlink).")
    var noNetlink = false

    @OptionGroup var log: LogOptions

    func run() throws {
        log.bootstrap()
        var options = CollectorOptions()
        options.procRoot = procRoot
        options.sysRoot = sysRoot
        options.networkNamespace = netns
        options.readsNetlink = !noNetlink
        let collector: SnapshotCollector
        do {
            collector = try SnapshotCollector(options: options)
        } catch {
            throw CommandFailure("cannot start the collector: \(error)")
        }
        var (snapshot, _) = collector.collect()
        // A site's connector namespace: add the site's view (leases its dnsmasq handed out, delta, epsilon).
        if let netns, let names = SiteNames(connectorNamespace: netns, stateRoot: siteStateRoot) {
            SiteSnapshotPart.recorded(names, reconciler: SiteReconciler(stateRoot: siteStateRoot)).fill(&snapshot)
        }
        let data = try SnapshotJSON.encoder(pretty: pretty).encode(snapshot)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}

/// The JSON form we print and send: sorted keys (stable diffs), slashes unescaped ("/" not "\/").
enum SnapshotJSON {
    static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
