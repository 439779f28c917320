import Foundation
import Testing

/// `vconnector site validate` and `site namespace`, as a user runs them (nothing here touches the host).
@Suite("vconnector site, as a user runs it")
struct SiteCommandTests {
    @Test("a good config validates: exit 0 and a one-line summary")
    func goodConfig() throws {
        let result = try CLI.run(["site", "validate", CLI.fixtures.appendingPathComponent("sites/good/branch-2wan-2lan.json").path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("valid: site branch-e2e: 2 WANs, 2 LANs, 1 ACL"))
    }

    @Test("a bad config: exit 1, every problem with its JSON path, on stderr")
    func badConfig() throws {
        let result = try CLI.run(["site", "validate", CLI.fixtures.appendingPathComponent("sites/bad/dhcp-mistakes.json").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the site config is invalid (11 problems)"))
        #expect(result.stderr.contains("lans[0].static_addressing.dhcp_server.dhcp_pool_end: 192.168.10.100 is before dhcp_pool_start 192.168.10.200"))
        #expect(result.stdout.isEmpty)
    }

    @Test("a missing file or malformed JSON is a clear error, not a crash")
    func unreadableConfig() throws {
        let missing = try CLI.run(["site", "validate", "/nonexistent/site.json"])
        #expect(missing.status == 1 && missing.stderr.contains("/nonexistent/site.json: no such file"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vct-bad-\(UUID().uuidString).json").path
        try Data("{\"site\": {\"name\": \"x\"}, \"lans\": [".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let malformed = try CLI.run(["site", "validate", path])
        #expect(malformed.status == 1 && malformed.stderr.contains("not valid JSON"))
    }

    @Test("usage errors exit 64 with the reason")
    func usageErrors() throws {
        let none = try CLI.run(["site", "validate"])
        #expect(none.status == 64 && none.stderr.contains("give the site config FILE (or --api)"))
        let apiWithoutIDs = try CLI.run(["site", "apply", "--api"])
        #expect(apiWithoutIDs.status == 64 && apiWithoutIDs.stderr.contains("--api needs --account-id and --site-id"))
    }

    @Test("the connector namespace of a site id is stable: vc- and 8 hex digits")
    func namespaceOfASite() throws {
        let first = try CLI.run(["site", "namespace", "--site-id", "0123456789abcdef0123456789abcdef"])
        let second = try CLI.run(["site", "namespace", "--site-id", "0123456789abcdef0123456789abcdef"])
        #expect(first.status == 0 && first.stdout == second.stdout)
        #expect(first.stdout.trimmingCharacters(in: .whitespacesAndNewlines).range(of: "^vc-[0-9a-f]{8}$", options: .regularExpression) != nil)
    }
}
