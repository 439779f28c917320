import Foundation
import Testing

/// `vconnector bench lab`, as a user runs it: one JSON line, the lab built, verified (nothing failed) and removed.
@Suite("vconnector bench lab, as a user runs it")
struct BenchLabCommandTests {
    @Test("one iteration of the demo site: up, verify and down timed, every check passed, nothing left")
    func demoSite() throws {
        guard getuid() == 0 else { return }
        let result = try CLI.run(["bench", "lab", "--site", CLI.fixtures.appendingPathComponent("demo/site.json").path, "--iterations", "1"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let line = try #require(result.stdout.split(separator: "\n").last)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect((json["lab_up_s"] as? Double ?? 0) > 0 && (json["lab_verify_s"] as? Double ?? 0) > 0)
        #expect(json["verify_checks"] as? Int == 16 && json["verify_failed"] as? Int == 0, "\(json)")
        let namespaces = try #require(json["connector_namespaces"] as? [String])
        #expect(namespaces.count == 1)
        #expect(Set(try TestNamespacesList.current()).isDisjoint(with: namespaces), "the lab was removed")
    }
}

/// The network namespaces of this host, by name.
enum TestNamespacesList {
    static func current() throws -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []
    }
}
