import ConnectorAPI
import Foundation
import Logging
import Telemetry

/// A real host's shape, as one snapshot the collector took of it: which fields its kernel offers (PSI, hwmon,
/// discard and flush counters, bonds), its NICs, disks and mounts, its CPU count and memory size. A virtual
/// connector keeps the shape and moves the values (see `ConnectorModel`).
public struct HostProfile: Sendable {
    /// Where the shape came from: a fixture tree's name, or "live" for this machine.
    public var name: String
    public var template: Snapshot

    public init(name: String, template: Snapshot) {
        self.name = name
        self.template = template
    }

    /// The snapshot of a fixture tree (`proc/`, `sys/`, `statvfs.tsv`), as `SnapshotCollector` reads it.
    /// Nil when a section failed: a tree with a malformed file (fixtures/hosts/corrupted) is no host to copy. A
    /// skipped sensor is not a failure (real hwmon trees have unreadable ones; the others still make a profile).
    public static func fixtureTree(at root: URL) throws -> HostProfile? {
        var options = CollectorOptions()
        options.procRoot = root.appendingPathComponent("proc").path
        options.sysRoot = root.appendingPathComponent("sys").path
        options.readsNetlink = false
        let tsv = (try? String(contentsOf: root.appendingPathComponent("statvfs.tsv"), encoding: .utf8)) ?? ""
        let table = FileSystemSpace.table(tsv: tsv) ?? [:]
        options.mountSpace = { table[$0] }
        // The tree's problems are the answer here, not news for the log.
        var quiet = Logger(label: "vconnector.fleet.profiles")
        quiet.logLevel = .critical
        let (snapshot, warnings) = try SnapshotCollector(options: options, logger: quiet).collect()
        guard warnings.allSatisfy({ $0.section == "thermals" }), snapshot.cpuCount != nil,
            snapshot.memoryTotalBytes != nil
        else { return nil }
        return HostProfile(name: root.lastPathComponent, template: snapshot)
    }

    /// This machine, read once.
    public static func liveHost() throws -> HostProfile {
        HostProfile(name: "live", template: try SnapshotCollector().collect().snapshot)
    }

    /// The repository's fixtures/hosts, found from this source file (a development build); nil elsewhere.
    public static var repositoryHosts: URL? {
        let hosts = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("fixtures/hosts")
        return FileManager.default.fileExists(atPath: hosts.path) ? hosts : nil
    }

    /// Every usable fixture tree under `directory` (sorted by name, so a seed picks the same profiles), plus this
    /// machine when `includeLiveHost`. Throws when that leaves none.
    public static func load(treesUnder directory: URL?, includeLiveHost: Bool) throws -> [HostProfile] {
        var profiles: [HostProfile] = []
        if let directory {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            for name in names where !name.hasPrefix(".") {
                if let profile = try? fixtureTree(at: directory.appendingPathComponent(name)) {
                    profiles.append(profile)
                }
            }
        }
        if includeLiveHost { profiles.append(try liveHost()) }
        guard !profiles.isEmpty else {
            throw FleetError(
                "no host profile: \(directory.map { "no usable fixture tree under \($0.path)" } ?? "no fixture directory") and the live host is off"
            )
        }
        return profiles
    }
}
