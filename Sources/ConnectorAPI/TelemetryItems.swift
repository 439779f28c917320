// Telemetry list items and the device-side ingest result (the mock's documented addition).

/// A list item of "List Snapshots": when it was recorded (`t`) and received (`a`).
public struct SnapshotMetadata: Codable, Sendable, Equatable {
    public var a: Double
    public var t: Double

    public init(a: Double, t: Double) {
        self.a = a
        self.t = t
    }
}

/// A list item of "List Events": times, sequence number and kind.
public struct EventMetadata: Codable, Sendable, Equatable {
    public var a: Double
    public var k: String
    public var n: UInt64
    public var t: Double

    public init(a: Double, k: String, n: UInt64, t: Double) {
        self.a = a
        self.k = k
        self.n = n
        self.t = t
    }
}

/// The result of "Get latest Snapshots/Events": `{count, items}` with full objects.
public struct LatestItems<Item: Codable & Sendable>: Codable, Sendable {
    public var count: Int
    public var items: [Item]

    public init(items: [Item]) {
        self.count = items.count
        self.items = items
    }
}

/// The result of a telemetry ingest: how many items arrived and how many were new (ingest is idempotent).
public struct IngestResult: Codable, Sendable, Equatable {
    public var received: Int
    public var stored: Int

    public init(received: Int, stored: Int) {
        self.received = received
        self.stored = stored
    }
}
