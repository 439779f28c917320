import Foundation
import Hummingbird

/// `GET /metrics`: Prometheus text exposition of mock-api itself. No credentials: it holds counts by route
/// pattern, ingest totals and sizes summed over all accounts, never an id, name or body of any account (see
/// docs/metrics.md), and Prometheus scrapers are configured without the API's tokens.
struct MetricsRoutes {
    let store: MockStore
    let metrics: MockAPIMetrics
    let databasePath: String

    static let path = "/metrics"

    func register(on router: Router<MockRequestContext>) {
        router.get(RouterPath(Self.path)) { _, _ in try await scrape() }
    }

    private func scrape() async throws -> Response {
        let walPath = databasePath + "-wal"
        var facts = try await store.writer.read { db in
            let accounts = try Int.fetchOne(db, sql: "SELECT count(*) FROM accounts") ?? 0
            let connectors = try Int.fetchOne(db, sql: "SELECT count(*) FROM connectors") ?? 0
            if db.dialect == .postgres {
                // The whole database's size, as one "page" (PostgreSQL has no free-page count to read cheaply).
                let bytes = try Int.fetchOne(db, sql: "SELECT pg_database_size(current_database())") ?? 0
                return DatabaseFacts(pageCount: bytes, pageSize: 1, freePages: 0, walBytes: 0, accounts: accounts, connectors: connectors)
            }
            return DatabaseFacts(
                pageCount: try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0,
                pageSize: try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0,
                freePages: try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0,
                walBytes: 0,
                accounts: accounts,
                connectors: connectors
            )
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: walPath)
        facts.walBytes = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        let text = metrics.exposition(database: facts, ingest: store.ingestTally.value)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: text))
        )
    }
}
