import Foundation

/// The packets a capture keeps (seed 003 `PCAPFilter`); empty captures everything.
struct PacketCaptureFilter: Codable, Sendable, Equatable {
    var destinationAddress: String?
    var destinationPort: Int?
    var `protocol`: Int?
    var sourceAddress: String?
    var sourcePort: Int?

    enum CodingKeys: String, CodingKey {
        case `protocol`
        case destinationAddress = "destination_address"
        case destinationPort = "destination_port"
        case sourceAddress = "source_address"
        case sourcePort = "source_port"
    }
}

/// A packet capture request (seed 003 "PCAPs"), simple or full; also the create body. The mock captures no
/// packets: the request moves through the documented statuses on the clock (see `PCAPTimeline`) and a finished
/// simple capture downloads as a valid, empty pcap file.
struct PacketCapture: Codable, Sendable, Equatable {
    var id: String?
    var type: String?
    var system: String?
    var timeLimit: Double?
    var packetLimit: Int?
    var byteLimit: Int?
    var coloName: String?
    var destinationConf: String?
    var filterV1: PacketCaptureFilter?
    var offsetTime: String?
    var status: String?
    var submitted: String?
    var stopRequested: String?
    var packetsCaptured: Int?
    var errorMessage: String?
    /// Stored only (never served, ignored in bodies): the clock readings the status is derived from.
    var submittedUnix: Double?
    var stopRequestedUnix: Double?

    var isFull: Bool { type == "full" }

    enum CodingKeys: String, CodingKey {
        case id, type, system, status, submitted
        case timeLimit = "time_limit"
        case packetLimit = "packet_limit"
        case byteLimit = "byte_limit"
        case coloName = "colo_name"
        case destinationConf = "destination_conf"
        case filterV1 = "filter_v1"
        case offsetTime = "offset_time"
        case stopRequested = "stop_requested"
        case packetsCaptured = "packets_captured"
        case errorMessage = "error_message"
        case submittedUnix = "mock_submitted_unix"
        case stopRequestedUnix = "mock_stop_requested_unix"
    }
}

/// A bucket registered for full captures (seed 003 "Ownership"); also the bodies of add and validate.
struct PCAPOwnership: Codable, Sendable, Equatable {
    var id: String?
    var destinationConf: String?
    /// The challenge file the owner must put in the bucket.
    var filename: String?
    var status: String?
    var submitted: String?
    var validated: String?
    /// Validate's body: the challenge filename found in the bucket.
    var ownershipChallenge: String?

    enum CodingKeys: String, CodingKey {
        case id, filename, status, submitted, validated
        case destinationConf = "destination_conf"
        case ownershipChallenge = "ownership_challenge"
    }
}
