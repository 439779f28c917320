import ConnectorAPI
import Foundation
import Hummingbird

/// Telemetry as documented (list, get one, latest for snapshots and events) plus the device's side,
/// which the docs leave out: POST of snapshots and of event batches. Ingest is idempotent, stamps `a`,
/// and counts as a heartbeat.
struct TelemetryRoutes {
    let services: Services
    static let defaultLimit = 100
    static let maxLimit = 1000

    func register(on accounts: AccountRouter) {
        accounts.group("magic/connectors/:connector_id/telemetry/snapshots")
            .get(use: listSnapshots)
            .post(use: ingestSnapshots)
            .get("latest", use: latestSnapshots)
            .get(":snapshot_t", use: getSnapshot)
        accounts.group("magic/connectors/:connector_id/telemetry/events")
            .get(use: listEvents)
            .post(use: ingestEvents)
            .get("latest", use: latestEvents)
            .get(":event_tn", use: getEvent)
    }

    // MARK: Snapshots

    private func listSnapshots(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let query = try RangeQuery(request)
        let after = try query.cursor.map { text in
            guard let t = TelemetryCursor.parseSnapshot(text) else { throw APIError.query("cursor", "'\(text)' is not a cursor this API issued") }
            return t
        }
        let items = try await services.store.writer.read { db in
            let seq = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            return try TelemetryStore.listSnapshots(db: db, seq: seq, from: query.from, to: query.to, after: after, limit: query.limit + 1)
        }
        let page = items.prefix(query.limit)
        let cursor = items.count > query.limit ? page.last.map { TelemetryCursor.snapshot(after: $0.t) } : nil
        // Written by hand: this is the hot read path, and the items are two numbers each.
        var json = #"{"count":\#(page.count),"items":["#
        json.reserveCapacity(40 * page.count + 64)
        for (index, item) in page.enumerated() {
            if index > 0 { json += "," }
            json += #"{"a":\#(item.a),"t":\#(item.t)}"#
        }
        json += "]"
        if let cursor { json += #","cursor":"\#(cursor)""# }
        json += "}"
        return JSONResponse.raw(resultJSON: json.utf8)
    }

    private func getSnapshot(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let text = try context.path("snapshot_t")
        guard let t = Double(text), t.isFinite else {
            throw APIError.invalid("snapshot_t", "'\(text)' is not a time in seconds since the Unix epoch")
        }
        let body = try await services.store.writer.read { db in
            let seq = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            return try TelemetryStore.snapshot(db: db, seq: seq, t: t)
        }
        guard let body else { throw APIError.notFound("snapshot at t", text) }
        return JSONResponse.raw(resultJSON: body.utf8)
    }

    private func latestSnapshots(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let limit = try RangeQuery.limit(request, default: 1)
        let bodies = try await services.store.writer.read { db in
            let seq = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            return try TelemetryStore.latestSnapshots(db: db, seq: seq, limit: limit)
        }
        return Self.latest(bodies)
    }

    private func ingestSnapshots(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let buffer = try await services.body.bytes(request)
        let fast = try services.snapshotFastPath ? buffer.withUnsafeReadableBytes { raw in
            try SnapshotFastPath.rows(raw.assumingMemoryBound(to: UInt8.self), now: Date().timeIntervalSince1970)
        } : nil
        if let fast {
            let stored = try await services.ingest.submit(
                account: account, connector: connector, rows: .snapshots(fast.rows), version: fast.version, receivedAt: Date()
            )
            return Self.ingested(received: fast.rows.count, stored: stored)
        }
        // JSONDecoder decides (and words the error) whatever the fast path was not sure of.
        let bytes = Array(buffer: buffer)
        let snapshots = try Self.decodeOneOrMany(Snapshot.self, from: Data(bytes))
        // Validated by decoding; stored exactly as sent, element by element.
        let texts = JSONElements.split(bytes)
        guard texts.count == snapshots.count else { throw APIError.malformedJSON("could not split the batch into snapshots") }
        var rows: [TelemetryStore.SnapshotRow] = []
        rows.reserveCapacity(snapshots.count)
        let now = Date().timeIntervalSince1970
        for (index, snapshot) in snapshots.enumerated() {
            let prefix = snapshots.count == 1 ? "" : "[\(index)]"
            try TelemetryValidation.checkTime(snapshot.t, field: prefix.isEmpty ? "t" : "\(prefix).t", now: now)
            try TelemetryValidation.checkSize(texts[index], prefix: prefix)
            rows.append(.init(t: snapshot.t, body: String(decoding: texts[index], as: UTF8.self)))
        }
        let version = snapshots.max(by: { $0.t < $1.t })?.v
        let stored = try await services.ingest.submit(
            account: account, connector: connector, rows: .snapshots(rows), version: version, receivedAt: Date()
        )
        return Self.ingested(received: rows.count, stored: stored)
    }

    // MARK: Events

    private func listEvents(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let query = try RangeQuery(request)
        let after = try query.cursor.map { text in
            guard let key = TelemetryCursor.parseEvent(text) else { throw APIError.query("cursor", "'\(text)' is not a cursor this API issued") }
            return key
        }
        let kind = request.uri.queryParameters.get("k")
        if let kind, EventKind(rawValue: kind) == nil {
            throw APIError.query("k", "'\(kind)' is not an event kind; use one of \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let items = try await services.store.writer.read { db in
            let seq = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            return try TelemetryStore.listEvents(
                db: db, seq: seq, from: query.from, to: query.to, after: after, kind: kind, limit: query.limit + 1
            )
        }
        let page = Array(items.prefix(query.limit))
        let cursor = items.count > query.limit ? page.last.map { TelemetryCursor.event(after: $0.t, n: $0.n) } : nil
        return try JSONResponse.ok(TelemetryPage(count: page.count, items: page, cursor: cursor))
    }

    private func getEvent(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let text = try context.path("event_tn")
        // `{event_t}.{event_n}`: t may itself have a fraction, so n is after the last dot.
        guard let dot = text.lastIndex(of: "."), let t = Double(text[..<dot]), t.isFinite,
            let n = Int64(text[text.index(after: dot)...]), n >= 0
        else {
            throw APIError.invalid("event_t.event_n", "'\(text)' is not '<t>.<n>' (time in seconds, then sequence number)")
        }
        let body = try await services.store.writer.read { db in
            let seq = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            return try TelemetryStore.event(db: db, seq: seq, t: t, n: n)
        }
        guard let body else { throw APIError.notFound("event", text) }
        return JSONResponse.raw(resultJSON: body.utf8)
    }

    private func latestEvents(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let limit = try RangeQuery.limit(request, default: 10)
        let bodies = try await services.store.writer.read { db in
            let seq = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            return try TelemetryStore.latestEvents(db: db, seq: seq, limit: limit)
        }
        return Self.latest(bodies)
    }

    private func ingestEvents(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let bytes = Array(buffer: try await services.body.bytes(request))
        let events = try Self.decodeOneOrMany(RecordedEvent.self, from: Data(bytes))
        let texts = JSONElements.split(bytes)
        guard texts.count == events.count else { throw APIError.malformedJSON("could not split the batch into events") }
        var rows: [TelemetryStore.EventRow] = []
        rows.reserveCapacity(events.count)
        let now = Date().timeIntervalSince1970
        for (index, event) in events.enumerated() {
            try TelemetryValidation.checkTime(event.t, field: "[\(index)].t", now: now)
            try TelemetryValidation.checkSize(texts[index], prefix: "[\(index)]")
            guard event.n <= UInt64(Int64.max) else { throw APIError.invalid("[\(index)].n", "is too large") }
            rows.append(.init(t: event.t, n: Int64(event.n), k: event.e.kind.rawValue, body: String(decoding: texts[index], as: UTF8.self)))
        }
        let version = events.max(by: { $0.t < $1.t })?.v
        let stored = try await services.ingest.submit(
            account: account, connector: connector, rows: .events(rows), version: version, receivedAt: Date()
        )
        return Self.ingested(received: rows.count, stored: stored)
    }

    // MARK: Helpers

    /// A JSON object, or an array of them (a batch); errors name the element.
    static func decodeOneOrMany<T: Decodable>(_ type: T.Type, from data: Data) throws -> [T] {
        let first = data.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 })
        if first == UInt8(ascii: "[") {
            let items = try RequestBodyReader.decode([T].self, from: data)
            guard !items.isEmpty else { throw APIError.invalid("body", "the batch is empty") }
            return items
        }
        return [try RequestBodyReader.decode(T.self, from: data)]
    }

    /// The ingest result (`IngestResult`), written directly: it is the response of every device check-in.
    static func ingested(received: Int, stored: Int) -> Response {
        JSONResponse.raw(resultJSON: #"{"received":\#(received),"stored":\#(stored)}"#.utf8)
    }

    /// `{count, items}` around stored bodies, spliced in as text.
    static func latest(_ bodies: [String]) -> Response {
        var json = #"{"count":\#(bodies.count),"items":["#
        json += bodies.joined(separator: ",")
        json += "]}"
        return JSONResponse.raw(resultJSON: json.utf8)
    }
}

/// `from`, `to` (required, unix seconds), `limit` and `cursor` of the telemetry lists.
struct RangeQuery {
    let from: Double
    let to: Double
    let limit: Int
    let cursor: String?

    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        from = try Self.time(query.get("from"), "from")
        to = try Self.time(query.get("to"), "to")
        guard from <= to else { throw APIError.query("from", "\(from) is after to (\(to))") }
        limit = try Self.limit(request, default: TelemetryRoutes.defaultLimit)
        cursor = query.get("cursor").flatMap { $0.isEmpty ? nil : $0 }
    }

    static func time(_ text: String?, _ name: String) throws -> Double {
        guard let text else { throw APIError.query(name, "required (seconds since the Unix epoch)") }
        guard let value = Double(text), value.isFinite else {
            throw APIError.query(name, "'\(text)' is not a number of seconds since the Unix epoch")
        }
        return value
    }

    /// `limit`: a whole number 1...1000 (SDKs may send it as `100.0`).
    static func limit(_ request: Request, default value: Int) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return value }
        guard let number = Double(text), number == number.rounded(), number >= 1, number <= Double(TelemetryRoutes.maxLimit) else {
            throw APIError.query("limit", "'\(text)' is not a whole number from 1 to \(TelemetryRoutes.maxLimit)")
        }
        return Int(number)
    }
}
