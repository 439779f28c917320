import Foundation

/// The dashboard's reads, in SQL: every query is scoped by the signed-in account (a connector or site of another
/// account is "not found", never shown), and series are downsampled in SQL (the last snapshot of each bucket, rates
/// from consecutive buckets with LAG), so a 7-day window sends ~120 points, not every snapshot.
enum DashboardQueries {
    /// Heartbeat age limits for a connector's status (the agent checks in every 10 s and snapshots every 60 s by default).
    static let onlineWithin = 120.0
    static let staleWithin = 900.0

    struct FleetRow: Codable, Sendable {
        var id: String
        var status: String
        var heartbeatAge: Double?
        var version: String?
        var activated: Bool
        var siteId: String?
        var siteName: String?
        var haRole: String
        var haState: String?
        var tunnels: Int
        var tunnelsUnhealthy: Int
        var lastSnapshot: Double?
    }

    struct Fleet: Codable, Sendable {
        var now: Double
        var counts: [String: Int]
        var connectors: [FleetRow]
    }

    static func fleet(db: SQLSession, account: String, now: Double) throws -> Fleet {
        let d = db.dialect
        // The connector's first site by seq (a connector may be one site's primary and another's secondary).
        let sql = """
            SELECT c.id, c.last_seen_version AS version,
                \(d.jsonFlag("c.doc", "activated")) AS activated,
                \(d.secondsBetween("?", "c.last_heartbeat")) AS age,
                s.id AS site_id, s.name AS site_name,
                CASE WHEN s.id IS NULL THEN 'none'
                     WHEN s.secondary_connector_id IS NULL THEN 'single'
                     WHEN s.connector_id = c.id THEN 'primary' ELSE 'secondary' END AS role,
                l.t AS last_t,
                \(d.jsonText("l.body", "ha_state")) AS ha_state,
                coalesce(\(d.jsonArrayLength("l.body", "tunnels")), 0) AS tunnels,
                (SELECT count(*) FROM \(d.jsonEach("l.body", "tunnels", as: "j"))
                    WHERE \(d.jsonText("j.value", "health_state")) <> 'healthy') AS unhealthy
            FROM connectors c
            LEFT JOIN sites s ON s.seq = (
                SELECT f.seq FROM sites f WHERE f.account_id = c.account_id AND (f.connector_id = c.id OR f.secondary_connector_id = c.id)
                ORDER BY f.seq LIMIT 1
            )
            LEFT JOIN snapshots l ON l.connector_seq = c.seq
                AND l.t = (SELECT max(t) FROM snapshots m WHERE m.connector_seq = c.seq)
            WHERE c.account_id = ?
            ORDER BY c.seq
            """
        var counts = ["online": 0, "stale": 0, "offline": 0]
        let nowText = MockStore.timestamp(Date(timeIntervalSince1970: now))
        let rows = try SQLRow.fetchAll(db, sql: sql, arguments: [nowText, account]).map { row -> FleetRow in
            let age: Double? = row["age"]
            let status = age.map { $0 <= onlineWithin ? "online" : $0 <= staleWithin ? "stale" : "offline" } ?? "offline"
            counts[status, default: 0] += 1
            return FleetRow(
                id: row["id"], status: status, heartbeatAge: age, version: row["version"], activated: row["activated"],
                siteId: row["site_id"], siteName: row["site_name"], haRole: row["role"], haState: row["ha_state"],
                tunnels: row["tunnels"], tunnelsUnhealthy: row["unhealthy"], lastSnapshot: row["last_t"]
            )
        }
        return Fleet(now: now, counts: counts, connectors: rows)
    }

    /// The windows the connector page offers, and their bucket count.
    static let windows: [String: Double] = ["15m": 900, "1h": 3600, "24h": 86_400, "7d": 604_800]
    static let points = 120.0

    /// One bucket's values: gauges as read from the bucket's last snapshot, counters as per-second rates since the
    /// previous bucket (a counter lower than before was reset, as after a reboot: its rate counts from zero).
    struct SeriesPoint: Codable, Sendable {
        var t: Double
        var cpuUtilisation: Double?
        var memoryUsedBytes: Double?
        var memoryAvailableBytes: Double?
        var swapUsedBytes: Double?
        var load1m: Double?
        var load5m: Double?
        var load15m: Double?
        var cpuSome10s: Double?
        var ioSome10s: Double?
        var ioFull10s: Double?
        var memorySome10s: Double?
        var memoryFull10s: Double?
        var diskReadBytesPerSecond: Double?
        var diskWriteBytesPerSecond: Double?
        var dhcpLeases: Int?
        var delta: Double?
        var epsilon: Double?
    }

    struct InterfacePoint: Codable, Sendable {
        var t: Double
        var name: String
        var recvBitsPerSecond: Double?
        var sentBitsPerSecond: Double?
        var errorsPerSecond: Double?
    }

    struct TunnelPoint: Codable, Sendable {
        var t: Double
        var tunnelId: String
        var healthValue: Double?
        var probedMtu: Double?
    }

    struct Series: Codable, Sendable {
        var window: String
        var from: Double
        var to: Double
        var step: Double
        var points: [SeriesPoint]
        var interfaces: [InterfacePoint]
        var tunnels: [TunnelPoint]
    }

    /// The increase of a counter from `p` to `c` per second, in SQL: a reset (c < p) counts from zero.
    private static func rate(_ c: String, _ p: String) -> String {
        "CASE WHEN \(p) IS NULL OR \(c) IS NULL THEN NULL WHEN \(c) >= \(p) THEN (\(c) - \(p)) / (t - pt) ELSE \(c) / (t - pt) END"
    }

    /// The last snapshot of each bucket of `step` seconds in [from, to], read through the covering index; its
    /// arguments are (seq, from, to, step, seq). PostgreSQL reads bodies as json (see `SQLDialect`) and buckets
    /// with floor (its CAST rounds where SQLite's truncates).
    private static func pickedCTE(_ dialect: SQLDialect) -> String {
        """
        picked AS (
            SELECT max(t) AS t FROM snapshots
            WHERE connector_seq = ? AND t >= ? AND t <= ?
            GROUP BY \(dialect == .postgres ? "floor(t / ?)" : "CAST(t / ? AS INTEGER)")
        ),
        rows AS (
            SELECT s.t, \(dialect == .postgres ? "s.body::json AS body" : "s.body") FROM picked p JOIN snapshots s ON s.connector_seq = ? AND s.t = p.t
        )
        """
    }

    static func series(db: SQLSession, seq: Int64, window: String, to: Double) throws -> Series {
        let span = windows[window] ?? 3600
        let from = to - span
        let step = span / points
        let arguments: SQLArguments = [seq, from, to, step, seq]
        let d = db.dialect
        let pickedCTE = pickedCTE(d)
        func number(_ key: String) -> String { d.jsonNumber("body", key) }
        let busy = ["user", "nice", "system", "irq", "softirq", "steal"]
            .map { "coalesce(\(number("cpu_time_\($0)_ms")), 0)" }.joined(separator: " + ")
        let total = "\(busy) + coalesce(\(number("cpu_time_idle_ms")), 0) + coalesce(\(number("cpu_time_iowait_ms")), 0)"
        let sql = """
            WITH \(pickedCTE),
            v AS (
                SELECT t, (\(busy)) AS busy, (\(total)) AS total,
                    \(number("memory_total_bytes")) - \(number("memory_available_bytes")) AS mem_used,
                    \(number("memory_available_bytes")) AS mem_avail,
                    \(number("memory_swap_total_bytes")) - \(number("memory_swap_free_bytes")) AS swap_used,
                    \(number("load_average_1m")) AS l1, \(number("load_average_5m")) AS l5,
                    \(number("load_average_15m")) AS l15,
                    \(number("cpu_pressure_10s")) AS cpu_some, \(number("io_pressure_some_10s")) AS io_some,
                    \(number("io_pressure_full_10s")) AS io_full,
                    \(number("memory_pressure_some_10s")) AS mem_some,
                    \(number("memory_pressure_full_10s")) AS mem_full,
                    (SELECT sum(\(d.jsonNumber("e.value", "sectors_read"))) * 512.0 FROM \(d.jsonEach("body", "disks", as: "e"))) AS disk_read,
                    (SELECT sum(\(d.jsonNumber("e.value", "sectors_written"))) * 512.0 FROM \(d.jsonEach("body", "disks", as: "e"))) AS disk_written,
                    \(d.jsonArrayLength("body", "dhcp_leases")) AS leases,
                    \(number("delta")) AS delta, \(number("epsilon")) AS epsilon
                FROM rows
            ),
            w AS (
                SELECT *, LAG(t) OVER o AS pt, LAG(busy) OVER o AS pbusy, LAG(total) OVER o AS ptotal,
                    LAG(disk_read) OVER o AS pdisk_read, LAG(disk_written) OVER o AS pdisk_written
                FROM v WINDOW o AS (ORDER BY t)
            )
            SELECT t,
                CASE WHEN ptotal IS NULL OR total <= ptotal OR busy < pbusy THEN NULL
                     ELSE 100.0 * (busy - pbusy) / (total - ptotal) END AS cpu,
                mem_used, mem_avail, swap_used, l1, l5, l15, cpu_some, io_some, io_full, mem_some, mem_full,
                \(rate("disk_read", "pdisk_read")) AS disk_read_rate,
                \(rate("disk_written", "pdisk_written")) AS disk_write_rate,
                leases, delta, epsilon
            FROM w ORDER BY t
            """
        let points = try SQLRow.fetchAll(db, sql: sql, arguments: arguments).map { row in
            SeriesPoint(
                t: row["t"], cpuUtilisation: row["cpu"], memoryUsedBytes: row["mem_used"], memoryAvailableBytes: row["mem_avail"],
                swapUsedBytes: row["swap_used"], load1m: row["l1"], load5m: row["l5"], load15m: row["l15"],
                cpuSome10s: row["cpu_some"], ioSome10s: row["io_some"], ioFull10s: row["io_full"], memorySome10s: row["mem_some"],
                memoryFull10s: row["mem_full"], diskReadBytesPerSecond: row["disk_read_rate"],
                diskWriteBytesPerSecond: row["disk_write_rate"], dhcpLeases: row["leases"], delta: row["delta"], epsilon: row["epsilon"]
            )
        }
        let interfaceSQL = """
            WITH \(pickedCTE),
            v AS (
                SELECT r.t, \(d.jsonText("n.value", "name")) AS name,
                    \(d.jsonNumber("n.value", "recv_bytes")) * 8.0 AS rx, \(d.jsonNumber("n.value", "sent_bytes")) * 8.0 AS tx,
                    \(d.jsonNumber("n.value", "recv_errs")) + \(d.jsonNumber("n.value", "sent_errs")) AS errs
                FROM rows r CROSS JOIN \(d.jsonEach("r.body", "netdevs", as: "n"))
            ),
            w AS (
                SELECT *, LAG(t) OVER o AS pt, LAG(rx) OVER o AS prx, LAG(tx) OVER o AS ptx, LAG(errs) OVER o AS perrs
                FROM v WINDOW o AS (PARTITION BY name ORDER BY t)
            )
            SELECT t, name, \(rate("rx", "prx")) AS rx_rate, \(rate("tx", "ptx")) AS tx_rate, \(rate("errs", "perrs")) AS err_rate
            FROM w ORDER BY name, t
            """
        let interfaces = try SQLRow.fetchAll(db, sql: interfaceSQL, arguments: arguments).map { row in
            InterfacePoint(t: row["t"], name: row["name"], recvBitsPerSecond: row["rx_rate"], sentBitsPerSecond: row["tx_rate"], errorsPerSecond: row["err_rate"])
        }
        let tunnelSQL = """
            WITH \(pickedCTE)
            SELECT r.t, \(d.jsonText("x.value", "tunnel_id")) AS id, \(d.jsonNumber("x.value", "health_value")) AS health,
                \(d.jsonNumber("x.value", "probed_mtu")) AS mtu
            FROM rows r CROSS JOIN \(d.jsonEach("r.body", "tunnels", as: "x")) ORDER BY id, r.t
            """
        let tunnels = try SQLRow.fetchAll(db, sql: tunnelSQL, arguments: arguments).map { row in
            TunnelPoint(t: row["t"], tunnelId: row["id"] ?? "?", healthValue: row["health"], probedMtu: row["mtu"])
        }
        return Series(window: window, from: from, to: to, step: step, points: points, interfaces: interfaces, tunnels: tunnels)
    }

    struct EventItem: Codable, Sendable {
        var t: Double
        var n: Int64
        var k: String
        var detail: String?
    }

    /// The window's events, newest first, at most `limit`: kind and the event's own detail fields as JSON text.
    static func events(db: SQLSession, seq: Int64, from: Double, to: Double, limit: Int) throws -> [EventItem] {
        try SQLRow.fetchAll(
            db,
            sql: """
                SELECT t, n, k, \(db.dialect.jsonRaw("body", "e")) AS detail FROM events
                WHERE connector_seq = ? AND t >= ? AND t <= ? ORDER BY t DESC, n DESC LIMIT ?
                """,
            arguments: [seq, from, to, limit]
        ).map { row in
            let detail: String? = row["detail"]
            return EventItem(t: row["t"], n: row["n"], k: row["k"], detail: detail.map { String($0.prefix(400)) })
        }
    }

    static func latestSnapshot(db: SQLSession, seq: Int64) throws -> String? {
        try String.fetchOne(db, sql: "SELECT body FROM snapshots WHERE connector_seq = ? ORDER BY t DESC LIMIT 1", arguments: [seq])
    }

    /// The site (of this account) with its children's stored documents, as one JSON text.
    static func site(db: SQLSession, account: String, id: String) throws -> String? {
        try String.fetchOne(
            db,
            sql: """
                \(db.dialect.siteDocument)
                FROM sites s WHERE s.account_id = ? AND s.id = ?
                """,
            arguments: [account, id]
        )
    }
}
