import ConnectorAPI
import Foundation
import Hummingbird
import Testing

@Suite("Telemetry")
struct TelemetryTests {
    private func connector(_ api: RouterClient) async throws -> String {
        try await api.createConnector(ConnectorFields(device: ConnectorDeviceOptions(id: "dev"))).id
    }

    private func ingest(_ api: RouterClient, _ path: String, _ body: Any) async throws -> RouterResponse {
        try await api.send(.post, path, raw: try jsonData(body))
    }

    @Test func snapshotIngestListGetAndLatest() async throws {
        try await withRouter { api in
            let id = try await connector(api)
            let base = Paths.telemetry(id)
            let ingested = try await ingest(api, "\(base)/snapshots", try snapshotBody(t: 1_700_000_000.5))
            #expect(ingested.status == .ok, "\(ingested.text)")
            #expect(try api.decode(IngestResult.self, ingested).result == IngestResult(received: 1, stored: 1))
            let batch = try await ingest(
                api, "\(base)/snapshots", [try snapshotBody(t: 1_700_000_010), try snapshotBody(t: 1_700_000_020)])
            #expect(try api.decode(IngestResult.self, batch).result?.stored == 2)

            let list = try await api.send(.get, "\(base)/snapshots?from=1700000000&to=1700000015")
            #expect(list.status == .ok)
            let page = try #require(try api.decode(TelemetryPage<SnapshotMetadata>.self, list).result)
            #expect(page.count == 2)
            #expect(page.items.map(\.t) == [1_700_000_000.5, 1_700_000_010])
            #expect(page.items.allSatisfy { $0.a > 1_700_000_000 }, "a is the receive time")
            #expect(try api.resultItemKeys(list).allSatisfy { $0 == ["a", "t"] }, "list items are {a, t} only")
            #expect(try !api.resultKeys(list).contains("cursor"))

            let one = try await api.send(.get, "\(base)/snapshots/1700000000.5")
            #expect(one.status == .ok)
            let snapshot = try #require(try api.decode(Snapshot.self, one).result)
            #expect(snapshot.t == 1_700_000_000.5)
            #expect(snapshot.countReclaimFailures == 0)
            #expect(try api.resultKeys(one).count == 173, "every documented field round-trips")

            let latest = try #require(try await api.get(LatestItems<Snapshot>.self, "\(base)/snapshots/latest").result)
            #expect(latest.count == 1)
            #expect(latest.items.first?.t == 1_700_000_020)
        }
    }

    @Test func snapshotIngestIsIdempotentOnT() async throws {
        try await withRouter { api in
            let id = try await connector(api)
            let base = Paths.telemetry(id)
            #expect(
                try api.decode(IngestResult.self, try await ingest(api, "\(base)/snapshots", try snapshotBody(t: 100)))
                    .result?.stored == 1)
            let page = TelemetryPage<SnapshotMetadata>.self
            let firstA = try #require(try await api.get(page, "\(base)/snapshots?from=0&to=200").result?.items.first?.a)
            let again = try await ingest(api, "\(base)/snapshots", try snapshotBody(t: 100))
            #expect(again.status == .ok)
            #expect(try api.decode(IngestResult.self, again).result?.stored == 0)
            let list = try await api.get(page, "\(base)/snapshots?from=0&to=200").result
            #expect(list?.count == 1)
            #expect(list?.items.first?.a == firstA, "a keeps the first receive time")
        }
    }

    @Test func ingestCountsAsAHeartbeat() async throws {
        try await withRouter { api in
            let id = try await connector(api)
            #expect(try !api.resultKeys(try await api.send(.get, Paths.connector(id))).contains("last_heartbeat"))
            var body = try snapshotBody(t: 100)
            body["v"] = "9.8.7"
            _ = try await ingest(api, "\(Paths.telemetry(id))/snapshots", body)
            let fetched = try #require(try await api.get(Connector.self, Paths.connector(id)).result)
            #expect(fetched.lastSeenVersion == "9.8.7")
            let heartbeat = try #require(fetched.lastHeartbeat)
            #expect(heartbeat.hasPrefix("20"), "an ISO 8601 time, got \(heartbeat)")
        }
    }

    @Test func snapshotPaginationWithACursorVisitsEveryItemOnce() async throws {
        try await withRouter { api in
            let id = try await connector(api)
            let base = Paths.telemetry(id)
            let times = (0..<25).map { 1000 + Double($0) * 0.1 }
            let batch = try times.map { try snapshotBody(t: $0) }
            #expect(
                try api.decode(IngestResult.self, try await ingest(api, "\(base)/snapshots", batch)).result?.stored
                    == 25)
            var seen: [Double] = []
            var cursor: String? = nil
            var pages = 0
            repeat {
                let query = "from=1000&to=1003&limit=10" + (cursor.map { "&cursor=\($0)" } ?? "")
                let response = try await api.send(.get, "\(base)/snapshots?\(query)")
                #expect(response.status == .ok)
                let page = try api.decode(TelemetryPage<SnapshotMetadata>.self, response).result
                seen += page?.items.map(\.t) ?? []
                cursor = page?.cursor
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == times)
        }
    }

    @Test func listNeedsFromAndTo() async throws {
        try await withRouter { api in
            let id = try await connector(api)
            expectFailure(
                try await api.send(.get, "\(Paths.telemetry(id))/snapshots?to=10"), status: .badRequest,
                code: Code.invalidQuery, mentions: "from")
            expectFailure(
                try await api.send(.get, "\(Paths.telemetry(id))/events?from=10"), status: .badRequest,
                code: Code.invalidQuery, mentions: "to")
        }
    }

    @Test func fromMustNotBeAfterTo() async throws {
        try await withRouter { api in
            let id = try await connector(api)
            expectFailure(
                try await api.send(.get, "\(Paths.telemetry(id))/snapshots?from=20&to=10"), status: .badRequest,
                code: Code.invalidQuery, mentions: "from"
            )
        }
    }

    @Test func limitMustBe1To1000() async throws {
        try await withRouter { api in
            let id = try await connector(api)
            let base = "\(Paths.telemetry(id))/snapshots?from=0&to=10"
            expectFailure(
                try await api.send(.get, "\(base)&limit=0"), status: .badRequest, code: Code.invalidQuery,
                mentions: "limit")
            expectFailure(
                try await api.send(.get, "\(base)&limit=1001"), status: .badRequest, code: Code.invalidQuery,
                mentions: "limit")
            #expect(try await api.send(.get, "\(base)&limit=100.0").status == .ok, "SDKs send limit as a float")
        }
    }

    @Test func foreignCursorIsRejected() async throws {
        try await withRouter { api in
            let id = try await connector(api)
            expectFailure(
                try await api.send(.get, "\(Paths.telemetry(id))/snapshots?from=0&to=10&cursor=abc"),
                status: .badRequest,
                code: Code.invalidQuery, mentions: "cursor"
            )
        }
    }

    @Test func snapshotMissingARequiredFieldIsRejected() async throws {
        try await withRouter { api in
            let id = try await connector(api)
            var body = try snapshotBody(t: 5)
            body["count_record_failed"] = nil
            expectFailure(
                try await ingest(api, "\(Paths.telemetry(id))/snapshots", body), status: .badRequest,
                code: Code.missingField,
                mentions: "count_record_failed"
            )
            #expect(
                try await api.get(TelemetryPage<SnapshotMetadata>.self, "\(Paths.telemetry(id))/snapshots?from=0&to=10")
                    .result?.count == 0)
        }
    }

    @Test func badSnapshotInABatchStoresNothing() async throws {
        try await withRouter { api in
            let id = try await connector(api)
            var bad = try snapshotBody(t: 6)
            bad["cpu_count"] = "many"
            let response = try await ingest(api, "\(Paths.telemetry(id))/snapshots", [try snapshotBody(t: 5), bad])
            expectFailure(response, status: .badRequest, code: Code.wrongType, mentions: "[1].cpu_count")
            #expect(
                try await api.get(TelemetryPage<SnapshotMetadata>.self, "\(Paths.telemetry(id))/snapshots?from=0&to=10")
                    .result?.count == 0)
        }
    }

    @Test func unknownSnapshotIs404() async throws {
        try await withRouter { api in
            let id = try await connector(api)
            expectFailure(
                try await api.send(.get, "\(Paths.telemetry(id))/snapshots/12345"), status: .notFound,
                code: Code.notFound)
        }
    }

    @Test func telemetryOfAnUnknownConnectorIs404() async throws {
        try await withRouter { api in
            expectFailure(
                try await api.send(.get, "\(Paths.telemetry("nope"))/snapshots/latest"), status: .notFound,
                code: Code.notFound, mentions: "nope"
            )
            expectFailure(
                try await ingest(api, "\(Paths.telemetry("nope"))/snapshots", try snapshotBody(t: 1)),
                status: .notFound, code: Code.notFound)
        }
    }

    @Test func eventIngestListGetLatestAndKindFilter() async throws {
        try await withRouter { api in
            let id = try await connector(api)
            let base = Paths.telemetry(id)
            // Commas, brackets and an escaped quote inside a string must not split the batch.
            let url = "https://example.com/b.tar?a=1,2]}\"x"
            let events = [
                RecordedEvent(e: .`init`, n: 0, t: 200.25, v: "0.1.0"),
                RecordedEvent(e: .startUpgrade(url: url), n: 1, t: 200.25, v: "0.1.0"),
                RecordedEvent(e: .reconcile, n: 0, t: 201, v: "0.1.0"),
            ]
            let ingested = try await api.send(.post, "\(base)/events", body: events)
            #expect(ingested.status == .ok, "\(ingested.text)")
            #expect(try api.decode(IngestResult.self, ingested).result?.stored == 3)
            #expect(
                try api.decode(IngestResult.self, try await api.send(.post, "\(base)/events", body: events)).result?
                    .stored == 0, "idempotent on (t, n)")

            // Typed items: `a` decodes only as a number and `n` only as an integer.
            let items = try await api.get(TelemetryPage<EventMetadata>.self, "\(base)/events?from=200&to=300").result?
                .items
            #expect(items?.map(\.k) == ["Init", "StartUpgrade", "Reconcile"])
            let filtered = try await api.get(
                TelemetryPage<EventMetadata>.self, "\(base)/events?from=200&to=300&k=Reconcile"
            ).result
            #expect(filtered?.items.map(\.k) == ["Reconcile"])

            let one = try await api.send(.get, "\(base)/events/200.25.1")
            #expect(one.status == .ok, "\(one.text)")
            #expect(try api.decode(RecordedEvent.self, one).result?.e == .startUpgrade(url: url))
            #expect(try await api.get(RecordedEvent.self, "\(base)/events/201.0").result?.n == 0)
            expectFailure(try await api.send(.get, "\(base)/events/201.7"), status: .notFound, code: Code.notFound)

            let latest = try await api.get(LatestItems<RecordedEvent>.self, "\(base)/events/latest").result
            #expect(latest?.count == 3)
            #expect(latest?.items.first?.e.kind == .reconcile)
        }
    }

    @Test func eventPaginationWithACursor() async throws {
        try await withRouter { api in
            let id = try await connector(api)
            let base = Paths.telemetry(id)
            let events = (0..<7).map {
                RecordedEvent(e: .reconcile, n: UInt64($0 % 3), t: 500 + Double($0 / 3), v: "0.1.0")
            }
            #expect(
                try api.decode(IngestResult.self, try await api.send(.post, "\(base)/events", body: events)).result?
                    .stored == 7)
            var keys: [String] = []
            var cursor: String? = nil
            var pages = 0
            repeat {
                let path = "\(base)/events?from=0&to=1000&limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await api.get(TelemetryPage<EventMetadata>.self, path).result
                keys += page?.items.map { "\($0.t)/\($0.n)" } ?? []
                cursor = page?.cursor
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(keys.count == 7 && Set(keys).count == 7)
        }
    }

    @Test func unknownEventKindIsRejected() async throws {
        try await withRouter { api in
            let id = try await connector(api)
            let response = try await ingest(
                api, "\(Paths.telemetry(id))/events", [["e": ["k": "Explode"], "n": 0, "t": 1]])
            expectFailure(response, status: .badRequest, code: Code.wrongType, mentions: "[0].e.k")
            expectFailure(
                try await api.send(.get, "\(Paths.telemetry(id))/events?from=0&to=1&k=Explode"), status: .badRequest,
                code: Code.invalidQuery, mentions: "k"
            )
        }
    }
}
