import Foundation
import Testing

@Suite("vconnector snapshot, as a user runs it")
struct SnapshotCommandTests {
    @Test("prints one JSON snapshot of this host with t, v and the counters, exit 0")
    func liveSnapshot() throws {
        let result = try CLI.run(["snapshot"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["v"] is String && json["t"] is Double)
        #expect((json["interfaces"] as? [Any])?.isEmpty == false)
        #expect(!result.stdout.contains("\\/"), "slashes must not be escaped")
    }

    @Test("a corrupted fixture tree still prints a snapshot and warns on stderr about each dropped section")
    func corruptedTree() throws {
        let tree = CLI.fixtures.appendingPathComponent("hosts/corrupted").path
        let result = try CLI.run(["snapshot", "--no-netlink", "--proc-root", tree + "/proc", "--sys-root", tree + "/sys"])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["memory_total_bytes"] == nil && json["uptime_total_ms"] != nil)
        for section in ["stat", "loadavg", "meminfo", "diskstats", "net/snmp", "pressure/io"] {
            #expect(result.stderr.contains("snapshot section \(section):"), "no warning for \(section)")
        }
    }

    @Test("an unknown namespace is a one-line error and exit 1, nothing on stdout")
    func unknownNamespace() throws {
        let result = try CLI.run(["snapshot", "--netns", "vct-missing-\(UInt32.random(in: 0...UInt32.max))"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("ip netns list"))
    }
}
