import Foundation
import Testing

@Suite("Persistence")
struct PersistenceTests {
    @Test func dataSurvivesARestart() async throws {
        let first = try await TestServer.start()
        let connector = try await first.client.createConnector(["device": ["id": "persist"]])["id"] as! String
        let site = try await first.client.createSite(["name": "kept", "connector_id": connector])
        let lan = try await first.client.createLAN(site: site, lanBody())
        _ = try await first.client.post("\(Paths.telemetry(connector))/snapshots", try snapshotBody(t: 42))
        _ = try await first.client.post("\(Paths.telemetry(connector))/events", [["e": ["k": "Init"], "n": 0, "t": 42]])
        await first.stop()

        let second = try await TestServer.start(databasePath: first.databasePath)
        defer { Task { await second.stop() } }
        #expect(second.port != 0)
        #expect(try await second.client.get(Paths.connector(connector)).object["last_heartbeat"] is String)
        #expect(try await second.client.get(Paths.site(site)).object["name"] as? String == "kept")
        #expect(try await second.client.get("\(Paths.site(site))/lans/\(lan)").status == 200)
        #expect(try await second.client.get("\(Paths.telemetry(connector))/snapshots/42").object["t"] as? Double == 42)
        #expect(try await second.client.get("\(Paths.telemetry(connector))/events/42.0").status == 200)
        await second.stop()
    }
}
