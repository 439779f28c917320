import Foundation
import Testing

/// Root with what site apply and setpriv need.
private let capabilityTestAvailable = geteuid() == 0 && Shell.has("setpriv") && Shell.has("ip")
    && FileManager.default.isExecutableFile(atPath: "/usr/sbin/dnsmasq")

/// The unit's CapabilityBoundingSet is enough for what the agent does to a site, and each capability in it is needed:
/// `vconnector site apply` (the reconciler the agent runs) under exactly that bounding set with no-new-privileges, as
/// systemd would start it.
@Suite("the service's capabilities", .serialized, .timeLimit(.minutes(3)),
       .enabled(if: capabilityTestAvailable, "needs root, setpriv, ip and dnsmasq"))
struct ServiceCapabilityTests {
    /// The unit's bounding set, as capability names (`net_admin`, ...).
    static func unitCapabilities() throws -> [String] {
        let unit = try String(contentsOf: Shell.repository.appendingPathComponent("scripts/service/vconnector-agent.service"), encoding: .utf8)
        let line = try #require(unit.split(separator: "\n").first { $0.hasPrefix("CapabilityBoundingSet=") })
        return line.dropFirst("CapabilityBoundingSet=".count).split(separator: " ").map { $0.lowercased().replacingOccurrences(of: "cap_", with: "") }
    }

    /// Runs `vconnector ARGS` as root limited to `capabilities`, as the unit starts the agent.
    static func limited(_ capabilities: [String], _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let set = (["-all"] + capabilities.map { "+\($0)" }).joined(separator: ",")
        return try Shell.run("setpriv", ["--bounding-set=\(set)", "--inh-caps=-all", "--no-new-privs", CLI.binary.path] + arguments)
    }

    /// The demo site under a site id of this test's own (its namespaces are named after it), in a scratch directory.
    static func site(_ tag: String) throws -> (directory: String, file: String) {
        let directory = try Shell.scratch("caps-\(tag)")
        let data = try Data(contentsOf: CLI.fixtures.appendingPathComponent("demo/site.json"))
        var config = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var site = config["site"] as? [String: Any] ?? [:]
        site["id"] = "vct-caps-\(tag)-\(UUID().uuidString.prefix(8))"
        config["site"] = site
        let file = "\(directory)/site.json"
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: file))
        return (directory, file)
    }

    @Test("apply, re-apply and teardown of a site work under the unit's bounding set")
    func enough() throws {
        let capabilities = try Self.unitCapabilities()
        #expect(capabilities.contains("net_admin") && !capabilities.contains("dac_override"))
        let site = try Self.site("all")
        let state = "\(site.directory)/state"
        defer {
            _ = try? CLI.run(["site", "teardown", site.file, "--state-root", state])
            try? FileManager.default.removeItem(atPath: site.directory)
        }
        let applied = try Self.limited(capabilities, ["site", "apply", site.file, "--state-root", state, "--dhcp-wait", "0"])
        #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
        #expect(applied.stdout.contains("start dnsmasq"))
        let again = try Self.limited(capabilities, ["site", "apply", site.file, "--state-root", state, "--dhcp-wait", "0"])
        #expect(again.status == 0 && again.stdout.contains("0 operations"), "\(again.stdout)\n\(again.stderr)")
        let removed = try Self.limited(capabilities, ["site", "teardown", site.file, "--state-root", state])
        #expect(removed.status == 0 && removed.stdout.contains("1 site torn down"), "\(removed.stdout)\n\(removed.stderr)")
    }

    @Test("each capability of the set is needed: without it the apply fails")
    func eachNeeded() throws {
        let capabilities = try Self.unitCapabilities()
        for missing in capabilities where missing != "net_admin" {  // without NET_ADMIN nothing at all works
            let site = try Self.site(missing.replacingOccurrences(of: "_", with: ""))
            let state = "\(site.directory)/state"
            defer {
                _ = try? CLI.run(["site", "teardown", site.file, "--state-root", state])
                try? FileManager.default.removeItem(atPath: site.directory)
            }
            let applied = try Self.limited(capabilities.filter { $0 != missing }, ["site", "apply", site.file, "--state-root", state, "--dhcp-wait", "0"])
            #expect(applied.status != 0, "without \(missing) the apply should fail:\n\(applied.stdout)")
        }
    }
}
