import CoreMetrics
import Prometheus
import Synchronization

/// mock-api's own Prometheus metrics: one registry per server (tests run several servers in one process, so
/// nothing is bootstrapped globally). Requests go through swift-metrics (`Counter`, `Timer`) into the
/// registry; the ingest tallies (kept by the ingest batcher) and the database size are read when scraped.
public final class MockAPIMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    /// Label of a request that matched no route: the raw path would let any client grow the label set.
    static let unmatchedRoute = "unmatched"

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Latencies of a local SQLite-backed mock: sub-millisecond to a few seconds under a fleet's load.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        self.factory = factory
    }

    /// Counts one answered request and its latency, by route pattern (never the raw path), method and status.
    func recordRequest(route: String?, method: String, status: Int, duration: Duration) {
        // Hummingbird names the not-found responder "NotFound"; a served pattern always starts with "/".
        let route = route.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? Self.unmatchedRoute
        CoreMetrics.Counter(
            label: "mockapi_http_requests_total",
            dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory
        ).increment()
        CoreMetrics.Timer(label: "mockapi_http_request_duration_seconds", dimensions: [("route", route), ("method", method)], factory: factory)
            .recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// The text exposition of everything, with the gauges read now (`database`: size facts read from SQLite).
    func exposition(database: DatabaseFacts, ingest: IngestTally.Value) -> [UInt8] {
        registry.makeGauge(descriptor: .init(metricName: "mockapi_database_bytes", unitName: "", helpText: "SQLite database size: page_count * page_size"))
            .set(Double(database.pageCount * database.pageSize))
        registry.makeGauge(descriptor: .init(metricName: "mockapi_database_free_bytes", unitName: "", helpText: "SQLite pages on the freelist, in bytes"))
            .set(Double(database.freePages * database.pageSize))
        registry.makeGauge(descriptor: .init(metricName: "mockapi_database_wal_bytes", unitName: "", helpText: "Size of the write-ahead log file (0 without one)"))
            .set(Double(database.walBytes))
        registry.makeGauge(descriptor: .init(metricName: "mockapi_accounts", unitName: "", helpText: "Accounts in the database")).set(Double(database.accounts))
        registry.makeGauge(descriptor: .init(metricName: "mockapi_connectors", unitName: "", helpText: "Connectors in the database, all accounts")).set(Double(database.connectors))
        let tally = ingest
        setCounter("mockapi_ingest_snapshots_stored_total", to: tally.snapshots, help: "Telemetry snapshots stored since start (new rows)")
        setCounter("mockapi_ingest_events_stored_total", to: tally.events, help: "Telemetry events stored since start (new rows)")
        return registry.emitToBuffer()
    }

    /// Counters are monotonic in the registry: they are advanced to the tally, never set back.
    private func setCounter(_ name: String, to value: UInt64, help: String) {
        let counter = registry.makeCounter(descriptor: .init(metricName: name, unitName: "", helpText: help))
        let shown = lastShown.withLock { shown -> UInt64 in
            defer { shown[name] = max(shown[name] ?? 0, value) }
            return shown[name] ?? 0
        }
        if value > shown { counter.increment(by: Int64(clamping: value - shown)) }
    }

    private let lastShown = Mutex<[String: UInt64]>([:])
}

/// What /metrics reads from the database when scraped: all cheap (PRAGMAs and two small tables' counts).
struct DatabaseFacts: Sendable {
    var pageCount: Int
    var pageSize: Int
    var freePages: Int
    var walBytes: Int
    var accounts: Int
    var connectors: Int
}

/// Rows the ingest batcher stored, for the ingest-rate counters.
final class IngestTally: Sendable {
    struct Value: Sendable { var snapshots: UInt64 = 0; var events: UInt64 = 0 }
    private let state = Mutex(Value())

    func add(snapshots: Int = 0, events: Int = 0) {
        state.withLock {
            $0.snapshots += UInt64(max(snapshots, 0))
            $0.events += UInt64(max(events, 0))
        }
    }

    var value: Value { state.withLock { $0 } }
}
