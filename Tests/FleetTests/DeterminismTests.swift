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

    /// A step is made and delivered a slice of connectors at a time (memory); the records do not depend on it.
    @Test func slicesRecordWhatOneBatchRecords() async throws {
        let plan = try FleetFixtures.plan(connectors: 7, hours: 0.5)
        let whole = try await FleetFixtures.record(plan)
        let sliced = try await FleetFixtures.record(plan, sliceSize: 3)
        #expect(whole.byConnector.count == 7 && sliced.byConnector.count == 7)
        for (connector, recorded) in whole.byConnector {
            #expect(sliced.byConnector[connector]?.snapshots == recorded.snapshots, "snapshots of \(connector)")
            #expect(sliced.byConnector[connector]?.events == recorded.events, "events of \(connector)")
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

    @Test func shardsTogetherRecordExactlyTheWholeFleet() async throws {
        let scenario = try ScenarioFile.load(path: FleetFixtures.root.path + "/fixtures/fleet/scenario-incidents.json")
        var plan = try FleetFixtures.plan(connectors: 7, hours: 0.5, scenario: scenario)
        let whole = try await FleetFixtures.record(plan)
        var union: [String: RecordingSink.Recorded] = [:]
        for number in 1...3 {
            plan.shard = try #require(FleetShard("\(number)/3"))
            let part = try await FleetFixtures.record(plan)
            #expect(part.byConnector.count == plan.members.count && !part.byConnector.isEmpty)
            for (connector, recorded) in part.byConnector {
                #expect(union[connector] == nil, "\(connector) is in two shards")
                union[connector] = recorded
            }
        }
        #expect(Set(union.keys) == Set(whole.byConnector.keys))
        for (connector, recorded) in whole.byConnector {
            #expect(union[connector]?.snapshots == recorded.snapshots, "snapshots of \(connector)")
            #expect(union[connector]?.events == recorded.events, "events of \(connector)")
        }
    }

    @Test func aShardIsKOfN() throws {
        #expect(FleetShard("2/4")?.members(of: 10) == [1, 5, 9])
        #expect(FleetShard("1/1") == .whole)
        for bad in ["0/4", "5/4", "4", "/4", "2/", "-1/4", "2/0", "1/2/3", " 1/2", "１/2", "1/2\n"] {
            #expect(FleetShard(bad) == nil, "\(bad)")
        }
        var plan = FleetPlan(connectors: 2, seed: 1, interval: 10, start: 0, end: 10, profiles: try FleetFixtures.profiles())
        plan.shard = try #require(FleetShard("3/3"))
        #expect(plan.problems().contains { $0.contains("--shard 3/3 of 2 connectors has none") })
    }
}
