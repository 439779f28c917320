import Foundation
import Testing

@Suite("vconnector bench agent --site, as a user runs it", .serialized, .timeLimit(.minutes(2)))
struct BenchAgentCommandTests {
    @Test("a missing or malformed --site file is refused before anything starts")
    func badSiteFile() throws {
        let missing = try CLI.run(["bench", "agent", "--site", "/nonexistent/site.json"])
        #expect(missing.status != 0 && missing.stderr.contains("--site: cannot read /nonexistent/site.json"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vc-not-a-site-\(UUID().uuidString).json").path
        defer { unlink(path) }
        for text in ["[1, 2]", "{\"site\": {}}", "{not json"] {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let notASite = try CLI.run(["bench", "agent", "--site", path])
            #expect(notASite.status != 0 && notASite.stderr.contains("is not a site example"), "\(text): \(notASite.stderr)")
        }
    }

    /// The whole bench, short: the agent applies the demo site, is measured, stops; the site is gone after.
    /// Before spawned daemons stopped inheriting the agent's descriptors, this hung at the agent's exit.
    @Test("with the demo site: applied during the warm-up, measured, torn down; nothing left",
          .enabled(if: geteuid() == 0, "needs root: the agent applies the site to network namespaces"))
    func siteRun() throws {
        let run = try CLI.run(["bench", "agent", "--site", CLI.fixtures.appendingPathComponent("demo/site.json").path,
                               "--seconds", "2", "--warmup", "8", "--drain", "20"])
        #expect(run.status == 0, "\(run.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let site = try #require(result["site"] as? [String: Any])
        let namespace = try #require(site["namespace"] as? String)
        #expect(namespace.hasPrefix("vc-"))
        #expect(result["drain_complete"] as? Bool == true)
        #expect((result["agent_records_delivered"] as? Int ?? 0) > 0)
        #expect(!FileManager.default.fileExists(atPath: "/run/netns/\(namespace)"))
        #expect(!FileManager.default.fileExists(atPath: "/run/netns/vf-" + namespace.dropFirst(3)))
    }
}
