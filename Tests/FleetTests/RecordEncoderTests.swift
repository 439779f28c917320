import Agent
import ConnectorAPI
import Fleet
import Foundation
import Testing

@Suite struct RecordEncoderTests {
    /// Every record of a fleet with every incident reads back and is written again by the agent's encoder to the
    /// same bytes: the fleet's records are the agent's.
    @Test func theFleetWritesWhatTheAgentWrites() async throws {
        let scenario = try ScenarioFile.load(path: FleetFixtures.root.path + "/fixtures/fleet/scenario-incidents.json")
        let sink = try await FleetFixtures.record(
            try FleetFixtures.plan(connectors: 4, interval: 120, hours: 2, scenario: scenario))
        let agent = Agent.encoder()
        var compared = 0
        for recorded in sink.byConnector.values {
            for line in recorded.snapshots {
                #expect(try agent.encode(JSONDecoder().decode(Snapshot.self, from: line)) == line)
            }
            for line in recorded.events {
                #expect(try agent.encode(JSONDecoder().decode(RecordedEvent.self, from: line)) == line)
            }
            compared += recorded.snapshots.count + recorded.events.count
        }
        #expect(compared > 250)
    }

    struct Odd: Codable {
        var text: String
        var numbers: [Double]
        var small: Float
        var flags: [Bool?]
        var nested: [String: [Int8]]
    }

    @Test func escapesAndNumbersAsJSONEncoderWritesThem() throws {
        let odd = Odd(
            text: "a/b \"q\" \\ \n\t\r\u{8}\u{c}\u{1}\u{1f}\u{7f} é \u{2028}",
            numbers: [0, -0.0, 1.5, 1e-7, 1e21, 123_456_789_012.25],
            small: 0.1, flags: [true, nil, false], nested: ["b": [1, -2], "a": []]
        )
        #expect(try RecordEncoder().encode(odd) == Agent.encoder().encode(odd))
        #expect(throws: EncodingError.self) { try RecordEncoder().encode([Double.nan]) }
    }
}
