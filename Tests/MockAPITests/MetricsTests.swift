import ConnectorAPI
import Foundation
import Hummingbird
import TestSupport
import Testing

@testable import MockAPI

/// mock-api's /metrics, read by prometheus_client's parser: request counts by route pattern, ingest totals,
/// database size; no credentials needed and no account's ids in it.
@Suite(
    .serialized, .timeLimit(.minutes(2)),
    .enabled(if: PrometheusParser.python != nil, "\(PrometheusParser.unavailableReason)"))
struct MetricsTests {
    @Test("requests by route pattern, ingest totals and database size match what was done")
    func scrape() async throws {
        try await withRouter { api in
            let connector = try await api.createConnector(
                ConnectorFields(device: ConnectorDeviceOptions(provisionLicense: true))
            ).id
            let now = Date().timeIntervalSince1970.rounded(.down)
            for offset in 0..<3 {
                let response = try await api.send(
                    .post, "\(Paths.telemetry(connector))/snapshots",
                    raw: try jsonData(try snapshotBody(t: now - 60 + Double(offset))))
                try #require(response.status == .ok, "\(response.text)")
            }
            // A re-sent snapshot is received but not stored again.
            _ = try await api.send(
                .post, "\(Paths.telemetry(connector))/snapshots", raw: try jsonData(try snapshotBody(t: now - 60)))
            let events = [
                RecordedEvent(e: .`init`, n: 1, t: now - 50, v: "1.0.0"),
                RecordedEvent(e: .leave, n: 2, t: now - 49, v: "1.0.0"),
            ]
            let posted = try await api.send(.post, "\(Paths.telemetry(connector))/events", body: events)
            try #require(posted.status == .ok, "\(posted.text)")
            _ = try await api.send(.get, "/no/such/\(connector)")

            let scrape = try await api.request(.get, uri: "/metrics")
            let response = (status: scrape.status, body: scrape.text)
            #expect(response.status == .ok)
            #expect(scrape.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(!response.body.contains(connector), "a connector id leaked into /metrics")
            #expect(!response.body.contains(TestServer.account), "an account id leaked into /metrics")
            let samples = try PrometheusParser.parse(response.body)
            func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
                PrometheusParser.value(samples, name, labels)
            }
            #expect(value("mockapi_ingest_snapshots_stored_total") == 3)
            #expect(value("mockapi_ingest_events_stored_total") == 2)
            let snapshotRoute = try #require(
                samples.first {
                    $0.name == "mockapi_http_requests_total" && $0.labels["method"] == "POST"
                        && $0.labels["route"]?.hasSuffix("/telemetry/snapshots") == true
                }
            )
            #expect(snapshotRoute.value == 4)
            #expect(snapshotRoute.labels["status"] == "200")
            #expect(
                snapshotRoute.labels["route"]?.contains("connector_id") == true,
                "the route pattern, not the path: \(snapshotRoute.labels)")
            #expect(
                samples.contains {
                    $0.name == "mockapi_http_requests_total" && $0.labels["route"] == "unmatched"
                        && $0.labels["status"] == "404"
                },
                "\(samples.filter { $0.name == "mockapi_http_requests_total" }.map(\.labels))"
            )
            let durations = samples.first {
                $0.name == "mockapi_http_request_duration_seconds_count" && $0.labels["method"] == "POST"
                    && $0.labels["route"] == snapshotRoute.labels["route"]
            }
            #expect(durations?.value == 4)
            let bytes = try #require(value("mockapi_database_bytes"))
            #expect(bytes > 0)
            if !TestDatabase.isPostgres {
                let (pageSize, pageCount) = try await api.server.store.writer.read { db in
                    (try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0, try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0)
                }
                // Nothing was written between the scrape and this read.
                #expect(bytes == Double(pageSize * pageCount))
            }
            #expect(value("mockapi_connectors") == 1)
            #expect(value("mockapi_accounts") == 2)
        }
    }
}
