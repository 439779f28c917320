/// The bytes of a kernel text file, as the parsers see them.
public typealias TextBytes = UnsafeBufferPointer<UInt8>
/// One whitespace-separated field, or a line: a view into the file's bytes, nothing copied.
public typealias TextSlice = Slice<UnsafeBufferPointer<UInt8>>

extension String {
    /// Runs a byte parser over this string's UTF-8 (no copy for native strings).
    func withTextBytes<T>(_ body: (TextBytes) throws -> T) rethrows -> T {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        copy.makeContiguousUTF8()
        return try copy.utf8.withContiguousStorageIfAvailable(body)!
    }
}

extension Slice where Base == UnsafeBufferPointer<UInt8> {
    /// The slice as a String.
    var string: String { String(decoding: self, as: UTF8.self) }

    /// True when the slice holds exactly `text` (ASCII).
    func equals(_ text: StaticString) -> Bool {
        guard count == text.utf8CodeUnitCount else { return false }
        return text.withUTF8Buffer { expected in
            var index = startIndex
            for byte in expected {
                if self[index] != byte { return false }
                index += 1
            }
            return true
        }
    }

    /// True when the slice begins with `prefix` (ASCII).
    func hasPrefix(_ prefix: StaticString) -> Bool {
        guard count >= prefix.utf8CodeUnitCount else { return false }
        return self[startIndex..<(startIndex + prefix.utf8CodeUnitCount)].equals(prefix)
    }

    /// The slice without `count` leading bytes.
    func dropping(_ count: Int) -> TextSlice { self[(startIndex + Swift.min(count, self.count))...] }
}

/// Iterates lines of a text buffer; the final line needs no newline.
struct LineIterator: IteratorProtocol, Sequence {
    private let bytes: TextBytes
    private var position: Int

    init(_ bytes: TextBytes) {
        self.bytes = bytes
        self.position = 0
    }

    mutating func next() -> TextSlice? {
        guard position < bytes.count else { return nil }
        var end = position
        while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
        let line = bytes[position..<end]
        position = end + 1
        return line
    }
}

/// Reads whitespace-separated fields of one line, parsing numbers without allocating.
struct FieldReader {
    private var rest: TextSlice

    init(_ line: TextSlice) { rest = line }

    /// The next field, or nil at the end of the line.
    mutating func next() -> TextSlice? {
        var start = rest.startIndex
        while start < rest.endIndex && Self.isSpace(rest[start]) { start += 1 }
        guard start < rest.endIndex else { rest = rest[rest.endIndex...]; return nil }
        var end = start
        while end < rest.endIndex && !Self.isSpace(rest[end]) { end += 1 }
        let field = rest[start..<end]
        rest = rest[end...]
        return field
    }

    /// The next field, which must exist.
    mutating func field(_ what: @autoclosure () -> String) throws -> TextSlice {
        guard let field = next() else { throw ParseError("missing \(what())") }
        return field
    }

    /// The next field as an unsigned integer.
    mutating func uint64(_ what: @autoclosure () -> String) throws -> UInt64 {
        let field = try field(what())
        guard let value = Numbers.uint64(field) else { throw ParseError("\(what()): '\(field.string)' is not a number") }
        return value
    }

    /// All remaining fields.
    mutating func remaining() -> [TextSlice] {
        var fields: [TextSlice] = []
        while let field = next() { fields.append(field) }
        return fields
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}

/// Number parsing over byte slices: strict (the whole slice must be the number), no allocation.
enum Numbers {
    static func uint64(_ slice: TextSlice) -> UInt64? {
        guard !slice.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in slice {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - 0x30))
            guard !overflow1 && !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    static func int64(_ slice: TextSlice) -> Int64? {
        guard let first = slice.first else { return nil }
        if first == UInt8(ascii: "-") {
            guard let magnitude = uint64(slice.dropFirst()), magnitude <= UInt64(Int64.max) else { return nil }
            return -Int64(magnitude)
        }
        guard let magnitude = uint64(slice), magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// A plain decimal such as "0.37" or "12": digits with an optional fraction.
    static func decimal(_ slice: TextSlice) -> Double? {
        guard !slice.isEmpty else { return nil }
        var integer: UInt64 = 0
        var fraction: UInt64 = 0
        var scale: Double = 1
        var seenDot = false
        var digits = 0
        for byte in slice {
            if byte == UInt8(ascii: ".") {
                guard !seenDot else { return nil }
                seenDot = true
                continue
            }
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            digits += 1
            guard digits <= 18 else { return Double(slice.string) }
            if seenDot {
                fraction = fraction * 10 + UInt64(byte - 0x30)
                scale *= 10
            } else {
                integer = integer * 10 + UInt64(byte - 0x30)
            }
        }
        guard digits > 0 else { return nil }
        return Double(integer) + Double(fraction) / scale
    }
}
