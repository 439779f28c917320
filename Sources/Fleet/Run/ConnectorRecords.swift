import Foundation

/// What one connector recorded in one step of the fleet: events and snapshots as the JSON the agent sends
/// (`Agent.encoder()`: sorted keys; written by `RecordEncoder`), each list in stamp order.
public struct ConnectorRecords: Sendable {
    public var index: Int
    public var connectorID: String
    public var events: [Data] = []
    public var snapshots: [Data] = []

    public init(index: Int, connectorID: String) {
        self.index = index
        self.connectorID = connectorID
    }

    public var isEmpty: Bool { events.isEmpty && snapshots.isEmpty }
}
