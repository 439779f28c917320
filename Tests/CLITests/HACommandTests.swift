import Foundation
import Testing

/// An HA site through the commands, as a user drives it (root, keepalived): `lab up` builds the pair, `lab status`
/// and each node's `snapshot --netns` say which node is active, `lab fault node-down` moves the role, `lab down`
/// removes both nodes; `bench failover` prints its JSON line within its targets.
@Suite("vconnector with an HA site, as a user runs it", .serialized)
struct HACommandTests {
    static var available: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/keepalived") }

    @Test("lab up, lab status, snapshot per node, node-down and lab down")
    func pairThroughTheCommands() throws {
        guard Self.available else { return }
        let root = try Shell.scratch("ha-cli")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let file = CLI.fixtures.appendingPathComponent("sites/good/ha-site.json").path
        defer { _ = try? CLI.run(["lab", "down", file, "--state-root", root]) }
        let up = try CLI.run(["lab", "up", file, "--hosts", "1", "--state-root", root])
        #expect(up.status == 0, "stderr: \(up.stderr)")
        let key = "fb6c6dc3"
        func haState(_ namespace: String) throws -> String? {
            let result = try CLI.run(["snapshot", "--netns", namespace, "--site-state-root", root])
            return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["ha_state"] as? String
        }
        let status = try CLI.run(["lab", "status", file, "--state-root", root])
        #expect(status.stdout.contains("HA: primary (vc-\(key)) active, secondary (vc-\(key)-s) standby"), "\(status.stdout)")
        #expect(try haState("vc-\(key)") == "active" && haState("vc-\(key)-s") == "standby")

        let fault = try CLI.run(["lab", "fault", file, "node-down", "primary", "--state-root", root])
        #expect(fault.status == 0, "stderr: \(fault.stderr)")
        Thread.sleep(forTimeInterval: 1)
        #expect(try haState("vc-\(key)") == "stopped" && haState("vc-\(key)-s") == "active")

        let down = try CLI.run(["lab", "down", file, "--state-root", root])
        #expect(down.status == 0, "stderr: \(down.stderr)")
        #expect(try TestNamespacesList.current().allSatisfy { !$0.contains(key) }, "both nodes removed")
    }

    @Test("bench failover --runs 1: one JSON line, failover under a second, nothing lost on the node's return")
    func benchFailover() throws {
        guard Self.available else { return }
        let result = try CLI.run(["bench", "failover", "--runs", "1"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let line = try #require(result.stdout.split(separator: "\n").last)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect((json["failover_s"] as? Double ?? 9) < 1 && (json["failover_lost"] as? Double ?? 99) <= 10, "\(json)")
        #expect(json["recovery_lost"] as? Double == 0, "\(json)")
    }
}
