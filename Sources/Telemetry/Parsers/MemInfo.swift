/// /proc/meminfo: "Key:   value [kB]" lines. Values with a kB unit are converted to bytes;
/// unitless values (HugePages_*) are counts.
public struct MemInfo: Equatable, Sendable {
    public var values: [String: UInt64] = [:]

    public init() {}

    public subscript(key: String) -> UInt64? { values[key] }

    public static func parse(_ text: String) throws -> MemInfo { try text.withTextBytes(parse(bytes:)) }

    public static func parse(bytes: TextBytes) throws -> MemInfo {
        var info = MemInfo()
        info.values.reserveCapacity(64)
        for line in LineIterator(bytes) where !line.isEmpty {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                throw ParseError("line '\(line.string)' has no 'Key:'")
            }
            var fields = FieldReader(line[(colon + 1)...])
            let key = line[line.startIndex..<colon].string
            let number = try fields.field("value of \(key)")
            guard let value = Numbers.uint64(number) else { throw ParseError("\(key): '\(number.string)' is not a number") }
            if let unit = fields.next() {
                guard unit.equals("kB") else { throw ParseError("\(key): unknown unit '\(unit.string)'") }
                info.values[key] = value * 1024
            } else {
                info.values[key] = value
            }
        }
        guard !info.values.isEmpty else { throw ParseError("empty") }
        return info
    }
}
