import Fleet
import Foundation
import Testing

/// YAML scenarios: the same checks as JSON, YAML's own types, and hostile files refused with their path.
@Suite struct ScenarioYAMLTests {
    func error(_ yaml: String) -> String? {
        do {
            _ = try ScenarioFile.parse(Data(yaml.utf8), format: .yaml)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func theYAMLExampleIsTheJSONExample() throws {
        let directory = FleetFixtures.root.path + "/fixtures/fleet/"
        let yaml = try ScenarioFile.load(path: directory + "scenario-incidents.yaml")
        let json = try ScenarioFile.load(path: directory + "scenario-incidents.json")
        #expect(yaml == json)
        #expect(yaml.incidents.count == 7 && yaml.incidents.last?.version == "0.2.0")
    }

    @Test func aFileWithoutAnExtensionIsReadByItsFirstCharacter() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("incidents:\n  - {kind: reboot, at: 90, fraction: 1}\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try ScenarioFile.load(path: path).incidents == [Incident(kind: .reboot, at: 90, fraction: 1)])
        try Data(#"  {"incidents": [{"kind": "reboot", "at": "1h", "fraction": 1}]}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try ScenarioFile.load(path: path).incidents == [Incident(kind: .reboot, at: 3600, fraction: 1)])
    }

    @Test(arguments: [
        ("incidents: []\nextra: 1\n", "extra: unknown key"),
        ("incidents:\n  - {kind: reboot, at: 1h, fraction: 1, duraton: 5m}\n", "incidents[0].duraton: unknown key"),
        ("incidents:\n  - {kind: reboot, at: soon, fraction: 1}\n", "incidents[0].at: 'soon' is not a time"),
        ("incidents:\n  - {kind: reboot, at: 1h, fraction: yes please}\n", "incidents[0].fraction: must be a number"),
        // YAML reads 1.0 as a number; a version is text.
        ("incidents:\n  - {kind: upgrade, at: 1h, fraction: 1, version: 1.0}\n", "incidents[0].version: must be a string"),
        ("incidents:\n  - {kind: reboot, at: 1h, fraction: 1}\nincidents: []\n", "not YAML"),
        ("incidents:\n  - {kind: reboot, at: !!binary aGVsbG8=, fraction: 1}\n", "incidents[0].at: the tag"),
        ("incidents: !custom [1]\n", "incidents: the tag"),
        ("incidents:\n  - {? [1, 2] : x}\n", "incidents[0]: a key must be text"),
        ("incidents: [\n", "not YAML"),
        ("- 1\n- 2\n", "(top level): must be an object"),
        ("", "(top level): empty"),
        ("incidents:\n  - {kind: reboot, at: .inf, fraction: 1}\n", "incidents[0].at: '.inf' is not a finite number"),
    ])
    func aBadYAMLScenarioNamesItsPath(yaml: String, expected: String) {
        let message = error(yaml)
        #expect(message?.contains(expected) == true, "\(message ?? "accepted")")
    }

    /// Hostile text stays text: it reaches the checks as a string and is refused there, never interpreted.
    @Test(arguments: [
        "\"eth0\\nkind: reboot\"", "\"$(reboot)\"", "\"ipsec0 # comment\"", "\"../../etc/passwd\"", "\"a=b\"",
        "\"ipsec0\\0\"", "\"\(String(repeating: "x", count: 100_000))\"",
    ])
    func hostileTextIsOnlyText(interface: String) {
        let yaml = "incidents:\n  - {kind: tunnel_unhealthy, at: 1h, duration: 1m, fraction: 1, interface: \(interface)}\n"
        let message = error(yaml)
        #expect(message?.contains("incidents[0].interface: a tunnel_unhealthy names ipsec0 or ipsec1") == true, "\(message ?? "accepted")")
    }

    /// A "billion laughs": nine levels of nine aliases would be 9^9 values; the node budget refuses it at once.
    @Test func aliasesThatExplodeAreRefused() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            yaml += "a\(level): &a\(level) [\(Array(repeating: previous, count: 9).joined(separator: ", "))]\n"
        }
        yaml += "incidents: *a9\n"
        let message = error(yaml)
        #expect(message?.contains("more than 100000 values") == true, "\(message ?? "accepted")")
    }

    @Test func aFileOverOneMebibyteIsRefusedUnread() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(("# " + String(repeating: "y", count: 1 << 20) + "\nincidents: []\n").utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: FleetError.self) { try ScenarioFile.load(path: path) }
    }
}
