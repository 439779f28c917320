import ConnectorAPI
import Foundation

/// A connector's records as the API holds them, for `fleet check --api`: the documented list endpoints give each
/// record's time (and an event's sequence number) a page at a time; each record is then fetched whole.
extension FleetAPI {
    /// One page of "List Snapshots" / "List Events".
    private struct Page<Item: Codable & Sendable>: Codable, Sendable {
        var items: [Item]
        var cursor: String?
    }

    /// The account's connector ids (to check them all).
    public func connectorIDs() async throws -> [String] {
        let account = client("")
        return try await account.get([Connector].self, account.accountPath + "/connectors").map(\.id)
    }

    /// Every snapshot and event of `connector` with `from <= t <= to`, in time order.
    public func records(of connector: String, from: Double, to: Double) async throws -> (snapshots: [Snapshot], events: [RecordedEvent]) {
        if let problem = TextRules.idProblem(connector) { throw FleetError("connector id \(TextRules.printable(connector)): \(problem)") }
        let client = client(connector)
        let base = client.connectorPath + "/telemetry"
        func list<Item: Codable & Sendable>(_ kind: String, _ type: Item.Type) async throws -> [Item] {
            var items: [Item] = []
            var cursor: String?
            repeat {
                var query = ["from=\(from)", "to=\(to)", "limit=1000"]
                // A cursor is the API's text: it goes back percent-encoded, as a value and nothing else.
                if let cursor { query.append("cursor=" + (cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) }
                let page = try await client.get(Page<Item>.self, "\(base)/\(kind)?" + query.joined(separator: "&"))
                items += page.items
                cursor = page.cursor
            } while cursor != nil
            return items
        }
        let snapshotTimes = try await list("snapshots", SnapshotMetadata.self)
        let eventKeys = try await list("events", EventMetadata.self)
        let snapshots = await concurrently(snapshotTimes.count, limit: concurrency) { index in
            await Result { try await client.get(Snapshot.self, "\(base)/snapshots/\(snapshotTimes[index].t)") }
        }
        let events = await concurrently(eventKeys.count, limit: concurrency) { index in
            await Result { try await client.get(RecordedEvent.self, "\(base)/events/\(eventKeys[index].t).\(eventKeys[index].n)") }
        }
        return (try snapshots.map { try $0.get() }, try events.map { try $0.get() })
    }
}

extension FleetChecker {
    /// Checks `connectors` (default: every connector of the account) from what the API holds between `from` and
    /// `to` (default: everything, up to the day ahead the API accepts).
    public static func check(api: FleetAPI, connectors: [String]? = nil, from: Double = 0, to: Double? = nil) async throws -> Report {
        let to = to ?? Date().timeIntervalSince1970 + 86_400
        let ids: [String]
        if let connectors { ids = connectors } else { ids = try await api.connectorIDs() }
        var report = Report()
        for id in ids {
            let records = try await api.records(of: id, from: from, to: to)
            report.add(connector: id, snapshots: records.snapshots, events: records.events)
        }
        return report
    }
}
