import ConnectorAPI

/// A packet capture as the mock serves it (seed 003 "PCAPs"). ConnectorAPI has no such type: a connector only
/// reads its assignments (`PacketCaptureAssignment`).
struct CaptureRecord: Codable, Sendable {
    var id: String
    var status: String
    var coloName: String?
    var destinationConf: String?
    var offsetTime: String?
    var stopRequested: String?
    var packetsCaptured: Int?

    enum CodingKeys: String, CodingKey {
        case id, status
        case coloName = "colo_name"
        case destinationConf = "destination_conf"
        case offsetTime = "offset_time"
        case stopRequested = "stop_requested"
        case packetsCaptured = "packets_captured"
    }
}

/// The body of a capture request.
struct CaptureRequest: Codable, Sendable {
    var system = "magic-transit"
    var type: String
    var timeLimit: Double
    var packetLimit: Int?
    var filterV1: PacketCaptureFilter?
    var offsetTime: String?
    var coloName: String?
    var destinationConf: String?

    enum CodingKeys: String, CodingKey {
        case system, type
        case timeLimit = "time_limit"
        case packetLimit = "packet_limit"
        case filterV1 = "filter_v1"
        case offsetTime = "offset_time"
        case coloName = "colo_name"
        case destinationConf = "destination_conf"
    }
}

/// A capture bucket of the account ("Ownership").
struct CaptureBucket: Codable, Sendable {
    var id: String
    var filename: String?
    var status: String?
    var validated: String?
}

/// The body of adding or validating a bucket.
struct CaptureBucketRequest: Codable, Sendable {
    var destinationConf: String
    var ownershipChallenge: String?

    enum CodingKeys: String, CodingKey {
        case destinationConf = "destination_conf"
        case ownershipChallenge = "ownership_challenge"
    }
}
