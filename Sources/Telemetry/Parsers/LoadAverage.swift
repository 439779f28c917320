/// /proc/loadavg: "0.20 0.18 0.12 1/80 11206".
public struct LoadAverage: Equatable, Sendable {
    public var oneMinute: Double
    public var fiveMinutes: Double
    public var fifteenMinutes: Double
    /// Currently runnable scheduling entities (before the slash).
    public var runnable: UInt64
    /// Scheduling entities that exist (after the slash).
    public var total: UInt64

    public static func parse(_ text: String) throws -> LoadAverage { try text.withTextBytes(parse(bytes:)) }

    public static func parse(bytes: TextBytes) throws -> LoadAverage {
        var fields = FieldReader(bytes[...])
        func average(_ name: String) throws -> Double {
            let field = try fields.field(name)
            guard let value = Numbers.decimal(field) else { throw ParseError("\(name): '\(field.string)' is not a load average") }
            return value
        }
        let one = try average("1-minute average")
        let five = try average("5-minute average")
        let fifteen = try average("15-minute average")
        let entities = try fields.field("runnable/total")
        guard let slash = entities.firstIndex(of: UInt8(ascii: "/")),
              let runnable = Numbers.uint64(entities[entities.startIndex..<slash]),
              let total = Numbers.uint64(entities[(slash + 1)...])
        else { throw ParseError("runnable/total: '\(entities.string)' is not N/M") }
        return LoadAverage(oneMinute: one, fiveMinutes: five, fifteenMinutes: fifteen, runnable: runnable, total: total)
    }
}
