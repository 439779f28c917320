import Foundation
import Testing

/// The trust boundary from the command line: strict config files with "did you mean", keys that cannot become
/// paths, and hostile names that never reach the terminal raw.
@Suite("vconnector site, fed hostile input")
struct SiteTrustCommandTests {
    private func write(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vct-site-\(UUID().uuidString).json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("an unknown nested key is refused with its path and a suggestion; --lenient only warns")
    func unknownNestedKey() throws {
        let path = try write(#"""
            {"site": {"name": "s"}, "lans": [{"name": "a", "physport": 3, "static_addressing": {"address": "10.1.0.1/24"}},
              {"name": "b", "physport": 4, "static_addressing": {"address": "10.2.0.1/24"}}],
             "acls": [{"name": "ipp", "lan_1": {"lan_name": "a"}, "lan_2": {"lan_name": "b", "port": 631}, "protocol": "tcp"}]}
            """#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let strict = try CLI.run(["site", "validate", path])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("acls[0].lan_2.port: unknown key; did you mean 'ports'?"), "stderr: \(strict.stderr)")
        #expect(strict.stderr.contains("acls[0].protocol (did you mean 'protocols'?)"))
        let lenient = try CLI.run(["site", "validate", "--lenient", path])
        #expect(lenient.status == 0, "stderr: \(lenient.stderr)")
        #expect(lenient.stderr.contains("warning: \(path): acls[0].lan_2.port: unknown key; did you mean 'ports'?; ignored"))
    }

    @Test("a hostile LAN name is refused with the field, and printed escaped")
    func hostileName() throws {
        let path = try write(#"""
            {"site": {"name": "s"}, "lans": [{"name": "office\ndhcp-script=/tmp/x.sh\n#\u001b[2J", "physport": 3}]}
            """#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CLI.run(["site", "validate", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("lans[0].name: contains a newline (U+000A); names are printable text on one line"))
        #expect(result.stderr.contains(#"office\u{a}dhcp-script"#) || !result.stderr.contains("dhcp-script=/tmp/x.sh\n"))
        #expect(!result.stderr.contains("\u{1B}"), "no escape sequence reaches the terminal")
    }

    @Test("teardown --key takes only a site key: no path outside the state root")
    func teardownKeyIsNotAPath() throws {
        guard getuid() == 0 else { return }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vct-trust-\(UUID().uuidString)")
        let victim = root.appendingPathComponent("victim")
        try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let stateRoot = root.appendingPathComponent("state").path
        for key in ["../../victim", "../victim", "0badf00d/../../../victim", "ABCDEF01", "0badf00", "0badf00d\n"] {
            let result = try CLI.run(["site", "teardown", "--key", key, "--state-root", stateRoot])
            #expect(result.status == 1, "\(key): \(result.stderr)")
            #expect(result.stderr.contains("is not a site key"), "\(key): \(result.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: victim.path))
    }
}

/// `--json` on the site and lab commands: one document on stdout, `ok`, and a stable error code with JSON paths.
@Suite("vconnector site and lab, --json")
struct SiteJSONCommandTests {
    private func json(_ arguments: [String]) throws -> (status: Int32, object: [String: Any]) {
        let result = try CLI.run(arguments)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "stdout: \(result.stdout) stderr: \(result.stderr)")
        return (result.status, object)
    }

    @Test("site validate --json: ok with counts, or every problem with its path and code invalid_config")
    func validate() throws {
        let good = try json(["site", "validate", "--json", CLI.fixtures.appendingPathComponent("sites/good/branch-2wan-2lan.json").path])
        #expect(good.status == 0 && good.object["ok"] as? Bool == true && good.object["lans"] as? Int == 2)
        let bad = try json(["site", "validate", "--json", CLI.fixtures.appendingPathComponent("sites/bad/dhcp-mistakes.json").path])
        #expect(bad.status == 1 && bad.object["ok"] as? Bool == false)
        let error = try #require(bad.object["error"] as? [String: Any])
        #expect(error["code"] as? String == "invalid_config")
        let problems = try #require(error["problems"] as? [[String: Any]])
        #expect(problems.count == 11)
        #expect(problems.contains { $0["path"] as? String == "lans[0].static_addressing.dhcp_server.dhcp_pool_end" })
        // Scripts key on the code and the JSON pointer (the same as mock-api's `source.pointer`), not on the words.
        #expect(
            problems.contains {
                $0["pointer"] as? String == "/lans/2/static_addressing/dhcp_server/dns_servers/1" && $0["code"] as? String == "not_an_address"
            }
        )
        #expect(problems.allSatisfy { ($0["pointer"] as? String)?.hasPrefix("/lans/") == true && $0["code"] is String })
        let missing = try json(["site", "validate", "--json", "/nonexistent/site.json"])
        #expect(missing.status == 1 && (missing.object["error"] as? [String: Any])?["code"] as? String == "unreadable_file")
    }

    @Test("site apply --dry-run --json and lab status --json of a site that is not applied")
    func applyDryRunAndStatus() throws {
        guard getuid() == 0 else { return }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vct-json-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let site = CLI.fixtures.appendingPathComponent("sites/good/branch-2wan-2lan.json").path
        let plan = try json(["site", "apply", "--dry-run", "--json", "--state-root", root, site])
        #expect(plan.status == 0 && plan.object["dry_run"] as? Bool == true)
        #expect((plan.object["operations"] as? [String])?.contains { $0.hasPrefix("create namespace vc-") } == true)
        let status = try json(["lab", "status", "--json", "--state-root", root, site])
        #expect(status.status == 0 && (status.object["namespaces"] as? [Any])?.isEmpty == true)
        let verify = try json(["lab", "verify", "--json", "--state-root", root, site])
        #expect(verify.status == 1 && (verify.object["error"] as? [String: Any])?["code"] as? String == "not_applied")
    }
}
