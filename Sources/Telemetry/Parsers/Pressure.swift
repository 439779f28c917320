/// /proc/pressure/{cpu,io,memory}: "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" and,
/// on newer kernels, a "full" line of the same shape.
public struct Pressure: Equatable, Sendable {
    public struct Line: Equatable, Sendable {
        /// Percent of time stalled over 10 s, 60 s and 300 s.
        public var avg10: Double
        public var avg60: Double
        public var avg300: Double
        /// Total stall time in microseconds.
        public var totalMicroseconds: UInt64
    }

    public var some: Line?
    public var full: Line?

    public static func parse(_ text: String) throws -> Pressure { try text.withTextBytes(parse(bytes:)) }

    public static func parse(bytes: TextBytes) throws -> Pressure {
        var pressure = Pressure()
        for line in LineIterator(bytes) where !line.isEmpty {
            var fields = FieldReader(line)
            let kind = try fields.field("some/full")
            let parsed = try parseLine(&fields, kind: kind.string)
            if kind.equals("some") { pressure.some = parsed } else if kind.equals("full") { pressure.full = parsed }
        }
        guard pressure.some != nil || pressure.full != nil else { throw ParseError("no some/full line") }
        return pressure
    }

    private static func parseLine(_ fields: inout FieldReader, kind: String) throws -> Line {
        var averages: [Double] = []
        var total: UInt64?
        while let field = fields.next() {
            guard let equals = field.firstIndex(of: UInt8(ascii: "=")) else { throw ParseError("\(kind): '\(field.string)' is not key=value") }
            let key = field[field.startIndex..<equals]
            let value = field[(equals + 1)...]
            if key.equals("total") {
                guard let number = Numbers.uint64(value) else { throw ParseError("\(kind) total: '\(value.string)' is not a number") }
                total = number
            } else if key.hasPrefix("avg") {
                guard let number = Numbers.decimal(value) else { throw ParseError("\(kind) \(key.string): '\(value.string)' is not a percentage") }
                averages.append(number)
            }
        }
        guard averages.count == 3, let total else { throw ParseError("\(kind): expected avg10, avg60, avg300 and total") }
        return Line(avg10: averages[0], avg60: averages[1], avg300: averages[2], totalMicroseconds: total)
    }
}
