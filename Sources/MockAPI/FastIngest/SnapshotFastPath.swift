import ConnectorAPI
import Foundation

/// Snapshot ingest without building 173-field values: `ShapeValidator` with the shape recorded from `Snapshot`
/// itself decides what `JSONDecoder` would, and yields each snapshot's bytes, `t` and `v`. Whatever it does not
/// accept for sure goes to `JSONDecoder`, which also words the error (so errors are exactly as before).
enum SnapshotFastPath {
    /// nil only if `Snapshot` stopped being recordable (a test holds it to non-nil).
    static let validator: ShapeValidator? = (try? ShapeRecorder.shape(of: Snapshot.self)).flatMap {
        ShapeValidator(shape: $0, captures: ["t", "v"])
    }

    /// The rows to store and the version of the newest one; nil when `JSONDecoder` must decide.
    static func rows(_ bytes: UnsafeBufferPointer<UInt8>, now: Double) throws -> (
        rows: [TelemetryStore.SnapshotRow], version: String?
    )? {
        guard let validator, case .valid(let items) = validator.validate(bytes) else { return nil }
        var rows: [TelemetryStore.SnapshotRow] = []
        rows.reserveCapacity(items.count)
        var newest: (t: Double, v: Range<Int>)?
        for (index, item) in items.enumerated() {
            guard let tRange = item.captures[0], let vRange = item.captures[1],
                let t = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[tRange]), as: UTF8.self))
            else { return nil }
            let prefix = items.count == 1 ? "" : "[\(index)]"
            try TelemetryValidation.checkTime(t, field: prefix.isEmpty ? "t" : "\(prefix).t", now: now)
            if item.range.count > TelemetryValidation.maxItemBytes
                || item.longestString > TelemetryValidation.maxStringBytes
            {
                // Only to word the error, naming the field.
                try TelemetryValidation.checkSize(
                    ArraySlice(UnsafeBufferPointer(rebasing: bytes[item.range])), prefix: prefix)
            }
            rows.append(
                .init(t: t, body: String(decoding: UnsafeBufferPointer(rebasing: bytes[item.range]), as: UTF8.self)))
            if let current = newest, current.t >= t { continue }
            newest = (t, vRange)
        }
        guard let newest else { return nil }
        return (rows, try version(UnsafeBufferPointer(rebasing: bytes[newest.v])))
    }

    /// The `v` string token's value; one with escapes is unescaped by JSONDecoder.
    private static func version(_ token: UnsafeBufferPointer<UInt8>) throws -> String {
        if !token.contains(UInt8(ascii: "\\")) {
            return String(decoding: UnsafeBufferPointer(rebasing: token.dropFirst().dropLast()), as: UTF8.self)
        }
        return try JSONDecoder().decode(String.self, from: Data(token))
    }
}

/// The snapshot validator's verdict, for benchmarks and tools outside the server.
public enum SnapshotValidation {
    /// true: JSONDecoder surely decodes `bytes` as a snapshot or batch; false: it surely refuses them;
    /// nil: only JSONDecoder can tell.
    public static func verdict(_ bytes: [UInt8]) -> Bool? {
        guard let validator = SnapshotFastPath.validator else { return nil }
        switch validator.validate(bytes) {
        case .valid: return true
        case .invalid: return false
        case .undecided: return nil
        }
    }
}
