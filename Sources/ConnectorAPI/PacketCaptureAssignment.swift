// A packet capture as a connector takes it on (a mock-api addition: the seeds say nothing of how a capture
// reaches a device). mock-api hands its connectors the account's simple captures (seed 003 "PCAPs") that no
// connector has taken yet; the one that claims a capture runs it on its site's WAN link and uploads the pcap file.

/// The packets a capture keeps (seed 003 `PCAPFilter`); every field empty captures everything.
public struct PacketCaptureFilter: Codable, Sendable, Equatable {
    public var destinationAddress: String?
    public var destinationPort: Int?
    public var `protocol`: Int?
    public var sourceAddress: String?
    public var sourcePort: Int?

    public init(destinationAddress: String? = nil, destinationPort: Int? = nil, protocol: Int? = nil, sourceAddress: String? = nil, sourcePort: Int? = nil) {
        self.destinationAddress = destinationAddress
        self.destinationPort = destinationPort
        self.protocol = `protocol`
        self.sourceAddress = sourceAddress
        self.sourcePort = sourcePort
    }

    enum CodingKeys: String, CodingKey {
        case `protocol`
        case destinationAddress = "destination_address"
        case destinationPort = "destination_port"
        case sourceAddress = "source_address"
        case sourcePort = "source_port"
    }
}

/// What a connector needs to run one capture: which, for how long, how many packets, which packets.
public struct PacketCaptureAssignment: Codable, Sendable, Equatable {
    public var id: String
    /// Seconds.
    public var timeLimit: Double
    public var packetLimit: Int
    public var filterV1: PacketCaptureFilter?

    public init(id: String, timeLimit: Double, packetLimit: Int, filterV1: PacketCaptureFilter? = nil) {
        self.id = id
        self.timeLimit = timeLimit
        self.packetLimit = packetLimit
        self.filterV1 = filterV1
    }

    enum CodingKeys: String, CodingKey {
        case id
        case timeLimit = "time_limit"
        case packetLimit = "packet_limit"
        case filterV1 = "filter_v1"
    }
}

/// A connector's report that it could not run a capture it claimed.
public struct PacketCaptureFailure: Codable, Sendable, Equatable {
    public var errorMessage: String

    public init(errorMessage: String) { self.errorMessage = errorMessage }

    enum CodingKeys: String, CodingKey {
        case errorMessage = "error_message"
    }
}
