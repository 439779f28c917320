import Fleet
import Foundation
import Testing

@Suite struct ScenarioFileTests {
    func error(_ json: String) -> String? {
        do {
            _ = try ScenarioFile.parse(Data(json.utf8))
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func theExamplesParse() throws {
        for name in ["scenario-incidents.json", "scenario-bad-day.json"] {
            let scenario = try ScenarioFile.load(path: FleetFixtures.root.path + "/fixtures/fleet/" + name)
            #expect(!scenario.incidents.isEmpty)
        }
        let scenario = try ScenarioFile.parse(
            Data(
                #"{"incidents": [{"kind": "upgrade", "at": "1h", "fraction": 0.5, "version": "2.0", "spread": 600}]}"#
                    .utf8))
        #expect(scenario.incidents == [Incident(kind: .upgrade, at: 3600, fraction: 0.5, spread: 600, version: "2.0")])
    }

    @Test(arguments: [
        (#"{"incidents": [], "extra": 1}"#, "extra: unknown key"),
        (
            #"{"incidents": [{"kind": "reboot", "at": "1h", "fraction": 1, "duraton": "5m"}]}"#,
            "incidents[0].duraton: unknown key"
        ),
        (#"{"incidents": [{"kind": "reboot", "at": "soon", "fraction": 1}]}"#, "incidents[0].at: 'soon' is not a time"),
        (#"{"incidents": [{"kind": "reboot", "at": -5, "fraction": 1}]}"#, "incidents[0].at: must be a time"),
        (#"{"incidents": [{"kind": "link_flap", "at": "1h", "fraction": 1}]}"#, "incidents[0].duration: missing"),
        (
            #"{"incidents": [{"kind": "meltdown", "at": "1h", "fraction": 1}]}"#,
            "incidents[0].kind: 'meltdown' is not an incident"
        ),
        (#"{"incidents": [{"kind": "reboot", "at": "1h"}]}"#, #"incidents[0]: give "connectors""#),
        (#"{"incidents": [{"kind": "reboot", "at": "1h", "fraction": 0.5, "connectors": [1]}]}"#, "not both"),
        (
            #"{"incidents": [{"kind": "reboot", "at": "1h", "fraction": 1.5}]}"#,
            "incidents[0].fraction: 1.5 is not in (0, 1]"
        ),
        (
            #"{"incidents": [{"kind": "reboot", "at": "1h", "fraction": true}]}"#,
            "incidents[0].fraction: must be a number"
        ),
        (
            #"{"incidents": [{"kind": "reboot", "at": "1h", "connectors": [0, 1.5]}]}"#,
            "incidents[0].connectors[1]: must be a connector index"
        ),
        (#"{"incidents": [{"kind": "upgrade", "at": "1h", "fraction": 1}]}"#, "incidents[0].version: missing"),
        (
            #"{"incidents": [{"kind": "reboot", "at": "1h", "fraction": 1, "version": "2"}]}"#,
            "incidents[0].version: only an upgrade"
        ),
        (
            #"{"incidents": [{"kind": "tunnel_unhealthy", "at": "1h", "duration": "1m", "fraction": 1, "interface": "eth0; rm -rf /"}]}"#,
            "incidents[0].interface: a tunnel_unhealthy names ipsec0 or ipsec1"
        ),
        (
            #"{"incidents": [{"kind": "reboot", "at": "1h", "fraction": 1, "interface": "ipsec0"}]}"#,
            "incidents[0].interface: only a link_flap or a tunnel_unhealthy"
        ),
        (#"{"incidents": {}}"#, "incidents: must be an array"),
        (#"[1]"#, "(top level): must be an object"),
        (#"{"incidents": [}"#, "not JSON"),
    ])
    func aBadScenarioNamesItsPath(json: String, expected: String) {
        let message = error(json)
        #expect(message?.contains(expected) == true, "\(message ?? "accepted")")
    }

    @Test func aConnectorOutsideTheFleetIsRefusedBeforeAnythingRuns() throws {
        let scenario = try ScenarioFile.parse(
            Data(#"{"incidents": [{"kind": "reboot", "at": 60, "connectors": [2, 25]}]}"#.utf8))
        #expect(
            throws: FleetError(
                "incidents[0].connectors[1]: connector 25 does not exist in a fleet of 20 (indexes 0 to 19)")
        ) {
            try ScenarioFile.check(scenario, connectorCount: 20)
        }
        let plan = try FleetFixtures.plan(connectors: 20, scenario: scenario)
        #expect(plan.problems().first?.contains("connector 25 does not exist") == true)
        #expect(throws: FleetError.self) { try Fleet(plan: plan, ids: (0..<20).map(plan.offlineID(of:)), sinks: []) }
    }

    @Test func timesOnTheCommandLine() throws {
        #expect(try FleetTime.parse("now-1d", now: 100_000, option: "--from") == 13_600)
        #expect(try FleetTime.parse("2026-11-27T00:00:00Z", now: 0, option: "--from") == 1_795_737_600)
        #expect(throws: FleetError.self) { try FleetTime.parse("yesterday", now: 0, option: "--from") }
        #expect(
            FleetDuration.seconds("250ms") == 0.25 && FleetDuration.seconds("15m") == 900
                && FleetDuration.seconds("x") == nil)
    }
}
