/// Bounds on what a device may post as telemetry, beyond decoding as the documented types: a time that
/// is a real recent-or-past instant, and items and strings of sane size (a snapshot is ~6 KB; no field
/// the kernel reports is kilobytes long). Each failure is a 422 naming the field.
enum TelemetryValidation {
    /// Largest string value or key, in bytes as sent (escapes counted as written).
    static let maxStringBytes = 4096
    /// Largest single snapshot or event, in bytes as sent.
    static let maxItemBytes = 1024 * 1024
    /// How far ahead of the server clock `t` may be (clock skew, not a different year).
    static let maxFutureSeconds = 86_400.0

    /// `t` must be finite, not negative, and at most a day ahead of `now`.
    static func checkTime(_ t: Double, field: String, now: Double) throws {
        guard t.isFinite else { throw APIError.invalid(field, "\(t) is not a time; send seconds since the Unix epoch") }
        guard t >= 0 else { throw APIError.invalid(field, "\(t) is before the Unix epoch; send seconds since the Unix epoch") }
        guard t <= now + maxFutureSeconds else {
            throw APIError.invalid(field, "\(t) is more than a day ahead of the server clock (\(Int(now))); check the device's clock")
        }
    }

    /// The item's size and its strings; `prefix` is the item's place in a batch (`[3]`) or empty.
    static func checkSize(_ item: ArraySlice<UInt8>, prefix: String) throws {
        guard item.count <= maxItemBytes else {
            throw APIError.invalid(prefix.isEmpty ? "body" : prefix, "is \(item.count) bytes; one item may be at most \(maxItemBytes)")
        }
        guard longestString(in: item) <= maxStringBytes else {
            let path = JSONPath.first(in: item, string: { $0 > maxStringBytes })?.path ?? "a string"
            throw APIError.invalid(prefix.isEmpty ? path : "\(prefix).\(path)", "is longer than \(maxStringBytes) bytes")
        }
    }

    /// Length of the longest string token (key or value) in a JSON text that already decoded. One tight pass:
    /// it runs on every ingested item.
    static func longestString(in bytes: ArraySlice<UInt8>) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var longest = 0
            var index = 0
            let count = buffer.count
            while index < count {
                if buffer[index] == UInt8(ascii: "\"") {
                    let start = index + 1
                    index = start
                    while index < count {
                        let byte = buffer[index]
                        if byte == UInt8(ascii: "\\") { index += 2; continue }
                        if byte == UInt8(ascii: "\"") { break }
                        index += 1
                    }
                    longest = max(longest, index - start)
                }
                index += 1
            }
            return longest
        }
    }
}
