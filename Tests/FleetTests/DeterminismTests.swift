import Fleet
import Foundation
import Testing

@Suite struct DeterminismTests {
    @Test func theSameSeedRecordsTheSameBytes() async throws {
        let plan = try FleetFixtures.plan(
            connectors: 6, hours: 1,
            scenario: try ScenarioFile.load(path: FleetFixtures.root.path + "/fixtures/fleet/scenario-incidents.json"))
        let first = try await FleetFixtures.record(plan)
        let second = try await FleetFixtures.record(plan)
        #expect(first.byConnector.count == 6)
        for (connector, recorded) in first.byConnector {
            #expect(recorded.snapshots == second.byConnector[connector]?.snapshots, "snapshots of \(connector)")
            #expect(recorded.events == second.byConnector[connector]?.events, "events of \(connector)")
        }
    }

    @Test func anotherSeedRecordsAnotherFleet() async throws {
        let one = try await FleetFixtures.record(try FleetFixtures.plan(connectors: 2, seed: 1, hours: 0.2))
        let other = try await FleetFixtures.record(try FleetFixtures.plan(connectors: 2, seed: 2, hours: 0.2))
        #expect(Set(one.byConnector.keys).isDisjoint(with: other.byConnector.keys))
        let firstOfOne = try #require(one.byConnector.values.first?.snapshots.first)
        #expect(!other.byConnector.values.contains { $0.snapshots.first == firstOfOne })
    }

    @Test func addingConnectorsLeavesTheOthersAlone() async throws {
        let small = try await FleetFixtures.record(try FleetFixtures.plan(connectors: 2, hours: 0.2))
        let large = try await FleetFixtures.record(try FleetFixtures.plan(connectors: 5, hours: 0.2))
        for (connector, recorded) in small.byConnector {
            #expect(recorded.snapshots == large.byConnector[connector]?.snapshots)
        }
    }
}
