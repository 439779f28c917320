import Foundation
import Telemetry
import Testing

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
        try #require(FileSystemSpace.table(tsv: try text(host, "statvfs.tsv")))
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
