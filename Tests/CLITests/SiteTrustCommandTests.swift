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
