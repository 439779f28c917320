import Foundation
import Logging
import TestSupport
import Testing

@testable import MockAPI

/// `mock-api --retention`: telemetry older than the retention (by its own `t`) goes, the rest stays, at start and
/// on every sweep.
@Suite("Telemetry retention")
struct RetentionTests {
    static func counts(_ store: MockStore) async throws -> (snapshots: Int, events: Int) {
        try await store.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM snapshots") ?? -1, try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? -1)
        }
    }

    @Test func oldTelemetryIsDeletedAndRecentKept() async throws {
        let path = TestScratch.path("mock-api-retention", suffix: ".sqlite")
        let now = Date().timeIntervalSince1970.rounded(.down)
        let server = try await TestServer.start(databasePath: path)
        do {
            let id = try #require(try await server.client.createConnector(["device": ["id": "dev"]])["id"] as? String)
            let base = Paths.telemetry(id)
            let times = [now - 3 * 86_400, now - 2 * 86_400, now - 3600, now - 60]
            #expect(try await server.client.post("\(base)/snapshots", try times.map { try snapshotBody(t: $0) }).object["stored"] as? Int == 4)
            let events = times.map { t -> [String: Any] in ["e": ["k": "Reconcile"], "n": 0, "t": t, "v": "0.1.0"] }
            #expect(try await server.client.post("\(base)/events", events).object["stored"] as? Int == 4)

            let removed = try await TelemetryRetention.prune(store: server.server.store, before: now - 86_400)
            #expect(removed.snapshots == 2 && removed.events == 2)
            let listed = try await server.client.get("\(base)/snapshots?from=0&to=\(Int(now) + 10)")
            #expect((listed.object["items"] as? [[String: Any]])?.compactMap { $0["t"] as? Double } == [now - 3600, now - 60])
            #expect(try await TelemetryRetention.prune(store: server.server.store, before: now - 86_400) == (0, 0))

            // Older rows again, then a server started on the same file with a day's retention removes them at once.
            #expect(try await server.client.post("\(base)/snapshots", try snapshotBody(t: now - 5 * 86_400)).object["stored"] as? Int == 1)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        let restarted = try MockAPIServer(
            configuration: MockAPIConfiguration(host: "127.0.0.1", port: 0, databasePath: path, retention: 86_400),
            logger: Logger(label: "test.mock-api.retention"))
        let (listening, ready) = AsyncStream<Int>.makeStream()
        let task = Task { try await restarted.run(handleSignals: false) { port in ready.yield(port) } }
        for await _ in listening { break }
        let deadline = ContinuousClock.now + .seconds(10)
        while try await Self.counts(restarted.store).snapshots != 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        await restarted.shutdown()
        _ = await task.result
        #expect(try await Self.counts(restarted.store) == (2, 2))
    }
}
