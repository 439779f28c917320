import ConnectorAPI
import Foundation

/// A packet capture request (seed 003 "PCAPs"), simple or full; also the create body. A simple capture that one
/// of the account's connectors claims is real: that connector's agent captures on its site's WAN link and uploads
/// the pcap file (`PCAPCaptureRoutes`). Any other capture moves through the documented statuses on the clock
/// (see `PCAPTimeline`) and a finished simple one downloads as a valid, empty pcap file.
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
    /// Stored only: the connector that claimed the capture, when, and whether its file arrived.
    var claimedBy: String?
    var claimedUnix: Double?
    var uploaded: Bool?

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
        case claimedBy = "mock_claimed_by"
        case claimedUnix = "mock_claimed_unix"
        case uploaded = "mock_uploaded"
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
