import ConnectorAPI
import Foundation

/// Rules of a capture request and of a bucket. The seed gives no ranges; these are the mock's: a time limit of
/// 1-300 s, 1-10,000 packets, 1 byte to 1 GB for a full capture.
enum PCAPValidation {
    static let timeLimits = 1.0...300.0
    static let packetLimits = 1...10_000
    static let byteLimits = 1...1_000_000_000

    /// `buckets`: the account's validated buckets, which a full capture must write to.
    static func validate(_ capture: PacketCapture, buckets: Set<String>, now: Date) throws {
        guard let system = capture.system else { throw APIError.missing("system") }
        guard system == "magic-transit" else { throw APIError.invalid("system", "\(Rules.quoted(system)) is not magic-transit") }
        guard let type = capture.type else { throw APIError.missing("type") }
        guard ["simple", "full"].contains(type) else { throw APIError.invalid("type", "\(Rules.quoted(type)) is neither simple nor full") }
        guard let timeLimit = capture.timeLimit else { throw APIError.missing("time_limit") }
        guard timeLimits.contains(timeLimit) else { throw APIError.invalid("time_limit", "\(timeLimit) is outside 1-300 seconds") }
        if let limit = capture.packetLimit, !packetLimits.contains(limit) {
            throw APIError.invalid("packet_limit", "\(limit) is outside 1-10000 packets")
        }
        try filter(capture.filterV1)
        if capture.isFull {
            guard let colo = capture.coloName else { throw APIError.missing("colo_name") }
            guard colo.utf8.count <= 16, !colo.isEmpty, colo.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw APIError.invalid("colo_name", "\(Rules.quoted(colo)) is not a colo name such as ord02 or ORD")
            }
            guard let destination = capture.destinationConf else { throw APIError.missing("destination_conf") }
            guard buckets.contains(destination) else {
                throw APIError.invalid("destination_conf", "\(Rules.quoted(destination)) is not a validated bucket of this account (POST /pcaps/ownership, then /validate)")
            }
            if let limit = capture.byteLimit, !byteLimits.contains(limit) {
                throw APIError.invalid("byte_limit", "\(limit) is outside 1-1000000000 bytes")
            }
            if capture.offsetTime != nil { throw APIError.invalid("offset_time", "only a simple capture looks back in time") }
        } else {
            guard capture.packetLimit != nil else { throw APIError.missing("packet_limit") }
            for (value, field) in [(capture.coloName, "colo_name"), (capture.destinationConf, "destination_conf")] where value != nil {
                throw APIError.invalid(field, "only applies to full captures")
            }
            if capture.byteLimit != nil { throw APIError.invalid("byte_limit", "only applies to full captures") }
            if let offset = capture.offsetTime { try offsetTime(offset, now: now) }
        }
    }

    private static func filter(_ filter: PacketCaptureFilter?) throws {
        guard let filter else { return }
        _ = try Rules.ipv4(filter.sourceAddress, "filter_v1.source_address")
        _ = try Rules.ipv4(filter.destinationAddress, "filter_v1.destination_address")
        for (port, field) in [(filter.sourcePort, "filter_v1.source_port"), (filter.destinationPort, "filter_v1.destination_port")] {
            if let port, !(1...65535).contains(port) { throw APIError.invalid(field, "\(port) is not a port (1-65535)") }
        }
        if let number = filter.protocol, !(0...255).contains(number) {
            throw APIError.invalid("filter_v1.protocol", "\(number) is not an IP protocol number (0-255)")
        }
    }

    /// RFC 3339, within the last 24 hours (as documented) and not in the future.
    private static func offsetTime(_ text: String, now: Date) throws {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions.insert(.withFractionalSeconds)
        guard let date = plain.date(from: text) ?? fractional.date(from: text) else {
            throw APIError.invalid("offset_time", "\(Rules.quoted(text)) is not an RFC 3339 timestamp")
        }
        guard date <= now.addingTimeInterval(1), date >= now.addingTimeInterval(-86_400) else {
            throw APIError.invalid("offset_time", "must be within the last 24 hours")
        }
    }

    /// `s3://bucket?region=…` or `gs://bucket`: bucket names of 3-63 lowercase letters, digits, '.' and '-'.
    static func destination(_ text: String?, _ field: String = "destination_conf") throws {
        guard let text else { throw APIError.missing(field) }
        let scheme = ["s3://", "gs://"].first { text.hasPrefix($0) }
        let rest = scheme.map { text.dropFirst($0.count) } ?? ""
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let bucket = parts.first ?? ""
        let query = parts.count > 1 ? parts[1] : nil
        let bucketOK = (3...63).contains(bucket.count) && bucket.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "-") }
        let queryOK = query.map { $0.utf8.count <= 256 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "=&-_.".contains($0)) } } ?? true
        guard scheme != nil, bucketOK, queryOK else {
            throw APIError.invalid(field, "\(Rules.quoted(text)) is not a bucket URI such as s3://pcaps-bucket?region=us-east-1 or gs://pcaps-bucket")
        }
    }
}
