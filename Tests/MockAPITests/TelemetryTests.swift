import Foundation
import Testing

@Suite("Telemetry")
struct TelemetryTests {
    private func connector(_ server: TestServer) async throws -> String {
        try #require(try await server.client.createConnector(["device": ["id": "dev"]])["id"] as? String)
    }

    @Test func snapshotIngestListGetAndLatest() async throws {
        try await withServer { server in
            let client = server.client
            let id = try await connector(server)
            let base = Paths.telemetry(id)
            let ingest = try await client.post("\(base)/snapshots", try snapshotBody(t: 1_700_000_000.5))
            #expect(ingest.status == 200, "\(ingest.text)")
            #expect(ingest.object["received"] as? Int == 1)
            #expect(ingest.object["stored"] as? Int == 1)
            let batch = try await client.post("\(base)/snapshots", [try snapshotBody(t: 1_700_000_010), try snapshotBody(t: 1_700_000_020)])
            #expect(batch.object["stored"] as? Int == 2)

            let list = try await client.get("\(base)/snapshots?from=1700000000&to=1700000015")
            #expect(list.status == 200)
            let items = list.object["items"] as? [[String: Any]] ?? []
            #expect(list.object["count"] as? Int == 2)
            #expect(items.map { $0["t"] as? Double } == [1_700_000_000.5, 1_700_000_010])
            #expect(items.allSatisfy { ($0["a"] as? Double ?? 0) > 1_700_000_000 }, "a is the receive time")
            #expect(items.allSatisfy { $0.count == 2 }, "list items are {a, t} only")
            #expect(list.object["cursor"] == nil)

            let one = try await client.get("\(base)/snapshots/1700000000.5")
            #expect(one.status == 200)
            #expect(one.object["t"] as? Double == 1_700_000_000.5)
            #expect(one.object["count_reclaim_failures"] as? Int == 0)
            #expect(one.object.count == 173, "every documented field round-trips")

            let latest = try await client.get("\(base)/snapshots/latest")
            #expect(latest.object["count"] as? Int == 1)
            #expect(((latest.object["items"] as? [[String: Any]])?.first?["t"] as? Double) == 1_700_000_020)
        }
    }

    @Test func snapshotIngestIsIdempotentOnT() async throws {
        try await withServer { server in
            let id = try await connector(server)
            let base = Paths.telemetry(id)
            #expect(try await server.client.post("\(base)/snapshots", try snapshotBody(t: 100)).object["stored"] as? Int == 1)
            let firstA = (try await server.client.get("\(base)/snapshots?from=0&to=200").object["items"] as? [[String: Any]])?.first?["a"] as? Double
            let again = try await server.client.post("\(base)/snapshots", try snapshotBody(t: 100))
            #expect(again.status == 200)
            #expect(again.object["stored"] as? Int == 0)
            let list = try await server.client.get("\(base)/snapshots?from=0&to=200")
            #expect(list.object["count"] as? Int == 1)
            #expect((list.object["items"] as? [[String: Any]])?.first?["a"] as? Double == firstA, "a keeps the first receive time")
        }
    }

    @Test func ingestCountsAsAHeartbeat() async throws {
        try await withServer { server in
            let id = try await connector(server)
            #expect(try await server.client.get(Paths.connector(id)).object["last_heartbeat"] == nil)
            var body = try snapshotBody(t: 100)
            body["v"] = "9.8.7"
            _ = try await server.client.post("\(Paths.telemetry(id))/snapshots", body)
            let fetched = try await server.client.get(Paths.connector(id)).object
            #expect(fetched["last_seen_version"] as? String == "9.8.7")
            let heartbeat = try #require(fetched["last_heartbeat"] as? String)
            #expect(heartbeat.hasPrefix("20"), "an ISO 8601 time, got \(heartbeat)")
        }
    }

    @Test func snapshotPaginationWithACursorVisitsEveryItemOnce() async throws {
        try await withServer { server in
            let id = try await connector(server)
            let base = Paths.telemetry(id)
            let batch = try (0..<25).map { try snapshotBody(t: 1000 + Double($0) * 0.1) }
            #expect(try await server.client.post("\(base)/snapshots", batch).object["stored"] as? Int == 25)
            var seen: [Double] = []
            var cursor: String? = nil
            var pages = 0
            repeat {
                let query = "from=1000&to=1003&limit=10" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await server.client.get("\(base)/snapshots?\(query)")
                #expect(page.status == 200)
                seen += (page.object["items"] as? [[String: Any]] ?? []).compactMap { $0["t"] as? Double }
                cursor = page.object["cursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == batch.map { $0["t"] as! Double })
        }
    }

    @Test func listNeedsFromAndTo() async throws {
        try await withServer { server in
            let id = try await connector(server)
            expectFailure(try await server.client.get("\(Paths.telemetry(id))/snapshots?to=10"), status: 400, code: Code.invalidQuery, mentions: "from")
            expectFailure(try await server.client.get("\(Paths.telemetry(id))/events?from=10"), status: 400, code: Code.invalidQuery, mentions: "to")
        }
    }

    @Test func fromMustNotBeAfterTo() async throws {
        try await withServer { server in
            let id = try await connector(server)
            expectFailure(try await server.client.get("\(Paths.telemetry(id))/snapshots?from=20&to=10"), status: 400, code: Code.invalidQuery, mentions: "from")
        }
    }

    @Test func limitMustBe1To1000() async throws {
        try await withServer { server in
            let id = try await connector(server)
            expectFailure(try await server.client.get("\(Paths.telemetry(id))/snapshots?from=0&to=10&limit=0"), status: 400, code: Code.invalidQuery, mentions: "limit")
            expectFailure(try await server.client.get("\(Paths.telemetry(id))/snapshots?from=0&to=10&limit=1001"), status: 400, code: Code.invalidQuery, mentions: "limit")
            #expect(try await server.client.get("\(Paths.telemetry(id))/snapshots?from=0&to=10&limit=100.0").status == 200, "SDKs send limit as a float")
        }
    }

    @Test func foreignCursorIsRejected() async throws {
        try await withServer { server in
            let id = try await connector(server)
            expectFailure(try await server.client.get("\(Paths.telemetry(id))/snapshots?from=0&to=10&cursor=abc"), status: 400, code: Code.invalidQuery, mentions: "cursor")
        }
    }

    @Test func snapshotMissingARequiredFieldIsRejected() async throws {
        try await withServer { server in
            let id = try await connector(server)
            var body = try snapshotBody(t: 5)
            body["count_record_failed"] = nil
            expectFailure(try await server.client.post("\(Paths.telemetry(id))/snapshots", body), status: 400, code: Code.missingField, mentions: "count_record_failed")
            #expect(try await server.client.get("\(Paths.telemetry(id))/snapshots?from=0&to=10").object["count"] as? Int == 0)
        }
    }

    @Test func badSnapshotInABatchStoresNothing() async throws {
        try await withServer { server in
            let id = try await connector(server)
            var bad = try snapshotBody(t: 6)
            bad["cpu_count"] = "many"
            let response = try await server.client.post("\(Paths.telemetry(id))/snapshots", [try snapshotBody(t: 5), bad])
            expectFailure(response, status: 400, code: Code.wrongType, mentions: "[1].cpu_count")
            #expect(try await server.client.get("\(Paths.telemetry(id))/snapshots?from=0&to=10").object["count"] as? Int == 0)
        }
    }

    @Test func unknownSnapshotIs404() async throws {
        try await withServer { server in
            let id = try await connector(server)
            expectFailure(try await server.client.get("\(Paths.telemetry(id))/snapshots/12345"), status: 404, code: Code.notFound)
        }
    }

    @Test func telemetryOfAnUnknownConnectorIs404() async throws {
        try await withServer { server in
            expectFailure(try await server.client.get("\(Paths.telemetry("nope"))/snapshots/latest"), status: 404, code: Code.notFound, mentions: "nope")
            expectFailure(try await server.client.post("\(Paths.telemetry("nope"))/snapshots", try snapshotBody(t: 1)), status: 404, code: Code.notFound)
        }
    }

    @Test func eventIngestListGetLatestAndKindFilter() async throws {
        try await withServer { server in
            let id = try await connector(server)
            let base = Paths.telemetry(id)
            let events: [[String: Any]] = [
                ["e": ["k": "Init"], "n": 0, "t": 200.25, "v": "0.1.0"],
                // Commas, brackets and an escaped quote inside a string must not split the batch.
                ["e": ["k": "StartUpgrade", "url": "https://example.com/b.tar?a=1,2]}\"x"], "n": 1, "t": 200.25, "v": "0.1.0"],
                ["e": ["k": "Reconcile"], "n": 0, "t": 201, "v": "0.1.0"],
            ]
            let ingest = try await server.client.post("\(base)/events", events)
            #expect(ingest.status == 200, "\(ingest.text)")
            #expect(ingest.object["stored"] as? Int == 3)
            #expect(try await server.client.post("\(base)/events", events).object["stored"] as? Int == 0, "idempotent on (t, n)")

            let list = try await server.client.get("\(base)/events?from=200&to=300")
            let items = list.object["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["k"] as? String } == ["Init", "StartUpgrade", "Reconcile"])
            #expect(items.allSatisfy { $0["a"] is Double && $0["n"] is Int })
            let filtered = try await server.client.get("\(base)/events?from=200&to=300&k=Reconcile")
            #expect((filtered.object["items"] as? [[String: Any]])?.map { $0["k"] as? String } == ["Reconcile"])

            let one = try await server.client.get("\(base)/events/200.25.1")
            #expect(one.status == 200, "\(one.text)")
            #expect((one.object["e"] as? [String: Any])?["url"] as? String == "https://example.com/b.tar?a=1,2]}\"x")
            #expect(try await server.client.get("\(base)/events/201.0").object["n"] as? Int == 0)
            expectFailure(try await server.client.get("\(base)/events/201.7"), status: 404, code: Code.notFound)

            let latest = try await server.client.get("\(base)/events/latest")
            #expect(latest.object["count"] as? Int == 3)
            #expect(((latest.object["items"] as? [[String: Any]])?.first?["e"] as? [String: Any])?["k"] as? String == "Reconcile")
        }
    }

    @Test func eventPaginationWithACursor() async throws {
        try await withServer { server in
            let id = try await connector(server)
            let base = Paths.telemetry(id)
            let events: [[String: Any]] = (0..<7).map { ["e": ["k": "Reconcile"], "n": $0 % 3, "t": 500 + Double($0 / 3), "v": "0.1.0"] }
            #expect(try await server.client.post("\(base)/events", events).object["stored"] as? Int == 7)
            var keys: [String] = []
            var cursor: String? = nil
            var pages = 0
            repeat {
                let page = try await server.client.get("\(base)/events?from=0&to=1000&limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
                keys += (page.object["items"] as? [[String: Any]] ?? []).map { "\($0["t"]!)/\($0["n"]!)" }
                cursor = page.object["cursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(keys.count == 7 && Set(keys).count == 7)
        }
    }

    @Test func unknownEventKindIsRejected() async throws {
        try await withServer { server in
            let id = try await connector(server)
            let response = try await server.client.post("\(Paths.telemetry(id))/events", [["e": ["k": "Explode"], "n": 0, "t": 1]])
            expectFailure(response, status: 400, code: Code.wrongType, mentions: "[0].e.k")
            expectFailure(try await server.client.get("\(Paths.telemetry(id))/events?from=0&to=1&k=Explode"), status: 400, code: Code.invalidQuery, mentions: "k")
        }
    }
}
