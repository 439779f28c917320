import Foundation
import Telemetry

/// Paths into the repository's fixtures/ and a collector over a fixture host tree.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures")

    static func host(_ name: String) -> URL { root.appendingPathComponent("hosts/\(name)") }

    static func text(_ host: String, _ relative: String) throws -> String {
        try String(contentsOf: Fixtures.host(host).appendingPathComponent(relative), encoding: .utf8)
    }

    /// statvfs.tsv beside a fixture tree: "mount point<TAB>total bytes<TAB>available bytes".
    static func space(of host: String) throws -> [String: FileSystemSpace] {
        var table: [String: FileSystemSpace] = [:]
        for line in try text(host, "statvfs.tsv").split(separator: "\n") {
            let columns = line.split(separator: "\t")
            table[String(columns[0])] = FileSystemSpace(totalBytes: UInt64(columns[1])!, availableBytes: UInt64(columns[2])!)
        }
        return table
    }

    /// A collector reading only the fixture tree: fixed clock, statvfs from the table, no netlink.
    static func collector(_ host: String) throws -> SnapshotCollector {
        var options = CollectorOptions()
        options.procRoot = Fixtures.host(host).appendingPathComponent("proc").path
        options.sysRoot = Fixtures.host(host).appendingPathComponent("sys").path
        options.readsNetlink = false
        let table = try space(of: host)
        options.mountSpace = { table[$0] }
        options.clock = { 1_764_000_000.5 }
        return try SnapshotCollector(options: options)
    }
}
