import Foundation

/// One pass over raw JSON bytes that decides whether `JSONDecoder().decode(T.self)` would accept them, for the
/// `T` whose `JSONShape` it is given, without building any value: the ingest fast path. It answers `valid` only
/// when the decoder surely accepts, `invalid` only when it surely refuses (a field of the wrong type, null or
/// missing where required, an integer out of range, truncated text), and `undecided` wherever the decoder's own
/// leniencies or limits would have to be imitated (duplicate keys, escaped keys, non-ASCII or control bytes in
/// strings, trailing commas, fractions in integer fields, numbers near the Double limits, deep nesting, a body
/// that is not UTF-8 text). The caller then asks `JSONDecoder`, which also words every error.
struct ShapeValidator: Sendable {
    enum Verdict {
        case valid([Item])
        case invalid
        case undecided
    }

    /// One top-level object (the body's, or a batch element's).
    struct Item {
        /// Its bytes, from `{` to `}`.
        var range: Range<Int>
        /// The value bytes of the captured fields, in the order asked for; nil where absent.
        var captures: [Range<Int>?]
        /// Longest string token (key or value) in bytes as sent, escapes counted as written.
        var longestString: Int
    }

    let root: ObjectShape
    /// Root-field indices whose values each `Item` captures.
    let captureIndices: [Int]
    private let tables: ShapeTables

    /// A validator for objects of `shape`, capturing the values of `captures` (root field names).
    init?(shape: JSONShape, captures: [String]) {
        guard case .object(let root) = shape else { return nil }
        var indices: [Int] = []
        for name in captures {
            guard let index = root.index(of: name) else { return nil }
            indices.append(index)
        }
        self.root = root
        captureIndices = indices
        tables = ShapeTables(root: root)
    }

    /// The verdict on `bytes`: one object, or a non-empty array of them.
    func validate(_ bytes: UnsafeBufferPointer<UInt8>) -> Verdict {
        tables.nodes.withUnsafeBufferPointer { nodes in
            tables.objects.withUnsafeBufferPointer { objects in
                tables.fields.withUnsafeBufferPointer { fields in
                    tables.names.withUnsafeBufferPointer { names in
                        var scanner = ByteScanner(
                            bytes: bytes, nodes: nodes, objects: objects, fields: fields, names: names,
                            captureIndices: captureIndices)
                        do throws(Stop) {
                            return .valid(try scanner.body())
                        } catch {
                            return error == .invalid ? .invalid : .undecided
                        }
                    }
                }
            }
        }
    }

    func validate(_ bytes: [UInt8]) -> Verdict {
        bytes.withUnsafeBufferPointer { validate($0) }
    }
}

/// A `JSONShape` as flat tables of plain values, so that the scan touches no reference counts: nodes refer to
/// each other, objects to their fields, and fields to their names, by index. The root object is object 0.
private struct ShapeTables: Sendable {
    enum Kind: UInt8, Sendable { case string, bool, double, integer, array, object, unmodelled }

    struct Node: Sendable {
        var kind: Kind
        var min: Int64 = 0
        var max: UInt64 = 0
        /// An array's element node, or an object's index in `objects`.
        var child = 0
    }

    struct Object: Sendable {
        var firstField = 0
        var fieldCount = 0
        var requiredCount = 0
    }

    struct Field: Sendable {
        var nameStart: Int
        var nameCount: Int
        var node: Int
        var required: Bool
    }

    var nodes: [Node] = []
    var objects: [Object] = []
    var fields: [Field] = []
    var names: [UInt8] = []

    init(root: ObjectShape) {
        _ = add(root)
    }

    private mutating func add(_ object: ObjectShape) -> Int {
        let index = objects.count
        objects.append(Object())
        // An object's fields are contiguous: reserve them before their nested shapes add theirs.
        let first = fields.count
        for field in object.fields {
            fields.append(Field(nameStart: names.count, nameCount: field.name.count, node: 0, required: field.required))
            names += field.name
        }
        for (offset, field) in object.fields.enumerated() { fields[first + offset].node = add(field.shape) }
        objects[index] = Object(firstField: first, fieldCount: object.fields.count, requiredCount: object.requiredCount)
        return index
    }

    private mutating func add(_ shape: JSONShape) -> Int {
        var node: Node
        switch shape {
        case .string: node = Node(kind: .string)
        case .bool: node = Node(kind: .bool)
        case .double: node = Node(kind: .double)
        case .integer(let min, let max): node = Node(kind: .integer, min: min, max: max)
        case .array(let element): node = Node(kind: .array, child: add(element))
        case .object(let object): node = Node(kind: .object, child: add(object))
        case .unmodelled: node = Node(kind: .unmodelled)
        }
        nodes.append(node)
        return nodes.count - 1
    }
}

private enum Stop: Error {
    case invalid
    case undecided
}

private enum Byte {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let t = UInt8(ascii: "t")
    static let f = UInt8(ascii: "f")
    static let n = UInt8(ascii: "n")
    static let u = UInt8(ascii: "u")
    static let e = UInt8(ascii: "e")
    static let upperE = UInt8(ascii: "E")

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= zero && byte <= nine }

    /// A byte that starts a JSON value of some kind other than null: a type mismatch for a field of another kind.
    @inline(__always) static func startsValue(_ byte: UInt8) -> Bool {
        byte == quote || byte == openBrace || byte == openBracket || byte == t || byte == f || byte == minus
            || isDigit(byte)
    }
}

/// JSONDecoder's nesting limit is 512; far below it nothing is left to imitate.
private let maxDepth = 64
/// Decimal exponents of a Double literal that surely neither overflow nor underflow.
private let safeExponents = -300...300

private struct ByteScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let nodes: UnsafeBufferPointer<ShapeTables.Node>
    let objects: UnsafeBufferPointer<ShapeTables.Object>
    let fields: UnsafeBufferPointer<ShapeTables.Field>
    let names: UnsafeBufferPointer<UInt8>
    let captureIndices: [Int]
    var index = 0
    var longestString = 0
    /// Bitsets of the fields seen in each open object, innermost last (one allocation for the whole body).
    var seen: [UInt64] = []

    init(
        bytes: UnsafeBufferPointer<UInt8>, nodes: UnsafeBufferPointer<ShapeTables.Node>,
        objects: UnsafeBufferPointer<ShapeTables.Object>, fields: UnsafeBufferPointer<ShapeTables.Field>,
        names: UnsafeBufferPointer<UInt8>, captureIndices: [Int]
    ) {
        self.bytes = bytes
        self.nodes = nodes
        self.objects = objects
        self.fields = fields
        self.names = names
        self.captureIndices = captureIndices
        seen.reserveCapacity(16)
    }

    // MARK: Body

    mutating func body() throws(Stop) -> [ShapeValidator.Item] {
        // JSONDecoder reads a body with NUL in its first two bytes as UTF-16 or UTF-32.
        guard bytes.count >= 2, bytes[0] != 0, bytes[1] != 0 else { throw .undecided }
        var items: [ShapeValidator.Item] = []
        let first = try peek()
        if first == Byte.openBracket {
            index += 1
            // An empty batch is the route's own error.
            if try peek() == Byte.closeBracket { throw .undecided }
            while true {
                let next = try peek()
                guard next == Byte.openBrace else {
                    throw Byte.startsValue(next) || next == Byte.n ? .invalid : .undecided
                }
                items.append(try item())
                let separator = try peek()
                index += 1
                if separator == Byte.closeBracket { break }
                guard separator == Byte.comma else { throw .invalid }
                if try peek() == Byte.closeBracket { throw .undecided }
            }
        } else if first == Byte.openBrace {
            items.append(try item())
        } else {
            throw .undecided
        }
        skipSpace()
        guard index == bytes.count else { throw .invalid }
        return items
    }

    private mutating func item() throws(Stop) -> ShapeValidator.Item {
        let start = index
        longestString = 0
        var captures = [Range<Int>?](repeating: nil, count: captureIndices.count)
        try object(0, depth: 1, captures: &captures)
        return .init(range: start..<index, captures: captures, longestString: longestString)
    }

    // MARK: Values of a known shape

    private mutating func value(_ nodeIndex: Int, required: Bool, depth: Int) throws(Stop) {
        let byte = try peek()
        if byte == Byte.n {
            try literal("null")
            if required { throw .invalid }
            return
        }
        let node = nodes[nodeIndex]
        switch node.kind {
        case .string:
            guard byte == Byte.quote else { throw Byte.startsValue(byte) ? .invalid : .undecided }
            try string(known: true)
        case .bool:
            if byte == Byte.t { return try literal("true") }
            if byte == Byte.f { return try literal("false") }
            throw Byte.startsValue(byte) ? .invalid : .undecided
        case .double:
            guard byte == Byte.minus || Byte.isDigit(byte) else { throw Byte.startsValue(byte) ? .invalid : .undecided }
            try double()
        case .integer:
            guard byte == Byte.minus || Byte.isDigit(byte) else { throw Byte.startsValue(byte) ? .invalid : .undecided }
            try integer(min: node.min, max: node.max)
        case .array:
            guard byte == Byte.openBracket else { throw Byte.startsValue(byte) ? .invalid : .undecided }
            try array(node.child, depth: depth + 1)
        case .object:
            guard byte == Byte.openBrace else { throw Byte.startsValue(byte) ? .invalid : .undecided }
            var none: [Range<Int>?] = []
            try object(node.child, depth: depth + 1, captures: &none)
        case .unmodelled:
            throw .undecided
        }
    }

    private mutating func object(_ objectIndex: Int, depth: Int, captures: inout [Range<Int>?]) throws(Stop) {
        guard depth <= maxDepth else { throw .undecided }
        index += 1
        let shape = objects[objectIndex]
        let words = (shape.fieldCount + 63) / 64
        let base = seen.count
        seen.append(contentsOf: repeatElement(0, count: words))
        defer { seen.removeLast(words) }
        var requiredSeen = 0
        var hint = 0
        if try peek() == Byte.closeBrace {
            index += 1
        } else {
            while true {
                guard try peek() == Byte.quote else { throw .invalid }
                let key = try self.key()
                guard try peek() == Byte.colon else { throw .invalid }
                index += 1
                if let field = lookup(key, in: shape, hint: hint) {
                    hint = field + 1
                    let (word, bit) = (base + field / 64, UInt64(1) << UInt64(field % 64))
                    // JSONDecoder keeps the first of duplicate keys and never looks at the others.
                    if seen[word] & bit != 0 { throw .undecided }
                    seen[word] |= bit
                    let definition = fields[shape.firstField + field]
                    let valueStart = skipSpaceReturningIndex()
                    try value(definition.node, required: definition.required, depth: depth)
                    if definition.required { requiredSeen += 1 }
                    if !captures.isEmpty, let slot = captureIndices.firstIndex(of: field) {
                        captures[slot] = valueStart..<index
                    }
                } else {
                    try skipValue(depth: depth)
                }
                let separator = try peek()
                index += 1
                if separator == Byte.closeBrace { break }
                guard separator == Byte.comma else { throw .invalid }
                // JSONDecoder accepts a trailing comma.
                if try peek() == Byte.closeBrace { throw .undecided }
            }
        }
        guard requiredSeen == shape.requiredCount else { throw .invalid }
    }

    private mutating func array(_ element: Int, depth: Int) throws(Stop) {
        guard depth <= maxDepth else { throw .undecided }
        index += 1
        if try peek() == Byte.closeBracket {
            index += 1
            return
        }
        while true {
            try value(element, required: true, depth: depth)
            let separator = try peek()
            index += 1
            if separator == Byte.closeBracket { return }
            guard separator == Byte.comma else { throw .invalid }
            if try peek() == Byte.closeBracket { throw .undecided }
        }
    }

    // MARK: Values nobody decodes (unknown keys): strict JSON, or JSONDecoder decides

    private mutating func skipValue(depth: Int) throws(Stop) {
        guard depth <= maxDepth else { throw .undecided }
        let byte = try peek()
        switch byte {
        case Byte.quote: try string(known: false)
        case Byte.t: try literal("true")
        case Byte.f: try literal("false")
        case Byte.n: try literal("null")
        case Byte.openBracket:
            index += 1
            if try peek() == Byte.closeBracket {
                index += 1
                return
            }
            while true {
                try skipValue(depth: depth + 1)
                let separator = try peek()
                index += 1
                if separator == Byte.closeBracket { return }
                guard separator == Byte.comma else { throw .invalid }
                if try peek() == Byte.closeBracket { throw .undecided }
            }
        case Byte.openBrace:
            index += 1
            if try peek() == Byte.closeBrace {
                index += 1
                return
            }
            while true {
                guard try peek() == Byte.quote else { throw .invalid }
                try string(known: false)
                guard try peek() == Byte.colon else { throw .invalid }
                index += 1
                try skipValue(depth: depth + 1)
                let separator = try peek()
                index += 1
                if separator == Byte.closeBrace { return }
                guard separator == Byte.comma else { throw .invalid }
                if try peek() == Byte.closeBrace { throw .undecided }
            }
        default:
            guard byte == Byte.minus || Byte.isDigit(byte) else { throw .undecided }
            // Numbers nobody decodes are not checked by JSONDecoder at all (`1e400`, `01`, `-` pass).
            _ = try number(known: false)
        }
    }

    // MARK: Tokens

    /// A key: plain ASCII without escapes, or JSONDecoder decides (it unescapes keys before matching them).
    private mutating func key() throws(Stop) -> Range<Int> {
        index += 1
        let start = index
        while true {
            guard index < bytes.count else { throw .invalid }
            let byte = bytes[index]
            if byte == Byte.quote { break }
            if byte == Byte.backslash || byte < 0x20 || byte >= 0x80 { throw .undecided }
            index += 1
        }
        longestString = Swift.max(longestString, index - start)
        index += 1
        return start..<(index - 1)
    }

    /// A string value. JSONDecoder checks escapes and control bytes only in strings it decodes (`known`); it
    /// refuses lone surrogates and invalid UTF-8 there too, which is left to it.
    private mutating func string(known: Bool) throws(Stop) {
        index += 1
        let start = index
        let count = bytes.count
        while true {
            guard index < count else { throw .invalid }
            let byte = bytes[index]
            if byte == Byte.quote { break }
            if byte >= 0x20 && byte < 0x80 && byte != Byte.backslash {
                index += 1
                continue
            }
            if byte >= 0x80 { throw .undecided }
            if byte < 0x20 { throw known ? .invalid : .undecided }
            // An escape.
            guard index + 1 < count else { throw .invalid }
            let escaped = bytes[index + 1]
            switch escaped {
            case Byte.quote, Byte.backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), Byte.f, Byte.n, UInt8(ascii: "r"),
                Byte.t:
                index += 2
            case Byte.u:
                guard index + 5 < count else { throw .invalid }
                var scalar: UInt32 = 0
                for offset in 2...5 {
                    guard let digit = hexValue(bytes[index + offset]) else { throw known ? .invalid : .undecided }
                    scalar = scalar << 4 | digit
                }
                if scalar >= 0xD800 && scalar <= 0xDFFF { throw .undecided }
                index += 6
            default:
                throw known ? .invalid : .undecided
            }
        }
        longestString = Swift.max(longestString, index - start)
        index += 1
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case Byte.zero...Byte.nine: UInt32(byte - Byte.zero)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private mutating func literal(_ word: StaticString) throws(Stop) {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count else { throw .invalid }
        let expected = word.utf8Start
        for offset in 0..<length where bytes[index + offset] != expected[offset] { throw .invalid }
        index += length
        guard index == bytes.count || isDelimiter(bytes[index]) else { throw .invalid }
    }

    /// A number literal in strict JSON grammar, followed by a delimiter.
    private struct NumberParts {
        var negative: Bool
        var integer: Range<Int>
        var fraction: Range<Int>?
        var exponent: Int?
    }

    /// Outside a decoded field a malformed number is JSONDecoder's call; inside one it refuses it.
    private mutating func number(known: Bool) throws(Stop) -> NumberParts {
        let malformed: Stop = known ? .invalid : .undecided
        let count = bytes.count
        var parts = NumberParts(negative: false, integer: index..<index, fraction: nil, exponent: nil)
        if bytes[index] == Byte.minus {
            parts.negative = true
            index += 1
        }
        let integerStart = index
        guard index < count, Byte.isDigit(bytes[index]) else { throw index < count ? malformed : .invalid }
        if bytes[index] == Byte.zero {
            index += 1
        } else {
            while index < count, Byte.isDigit(bytes[index]) { index += 1 }
        }
        parts.integer = integerStart..<index
        if index < count, bytes[index] == Byte.dot {
            index += 1
            let fractionStart = index
            while index < count, Byte.isDigit(bytes[index]) { index += 1 }
            guard index > fractionStart else { throw index < count ? malformed : .invalid }
            parts.fraction = fractionStart..<index
        }
        if index < count, bytes[index] == Byte.e || bytes[index] == Byte.upperE {
            index += 1
            var negativeExponent = false
            if index < count, bytes[index] == Byte.minus || bytes[index] == Byte.plus {
                negativeExponent = bytes[index] == Byte.minus
                index += 1
            }
            let exponentStart = index
            var exponent = 0
            while index < count, Byte.isDigit(bytes[index]) {
                exponent = Swift.min(exponent * 10 + Int(bytes[index] - Byte.zero), 1_000_000)
                index += 1
            }
            guard index > exponentStart else { throw index < count ? malformed : .invalid }
            parts.exponent = negativeExponent ? -exponent : exponent
        }
        guard index == count || isDelimiter(bytes[index]) else { throw malformed }
        return parts
    }

    /// A Double field: finite and not underflowing; near either limit JSONDecoder decides.
    private mutating func double() throws(Stop) {
        let parts = try number(known: true)
        var leading: Int?
        for position in parts.integer where bytes[position] != Byte.zero {
            leading = parts.integer.upperBound - position - 1
            break
        }
        if leading == nil, let fraction = parts.fraction {
            for position in fraction where bytes[position] != Byte.zero {
                leading = -(position - fraction.lowerBound + 1)
                break
            }
        }
        let exponent = parts.exponent ?? 0
        guard safeExponents.contains((leading ?? 0) + exponent) else { throw .undecided }
    }

    /// An integer field: an integer literal in range. JSONDecoder also takes `1.0` or `1e2` for an integer;
    /// those it decides.
    private mutating func integer(min: Int64, max: UInt64) throws(Stop) {
        let parts = try number(known: true)
        guard parts.fraction == nil, parts.exponent == nil else { throw .undecided }
        guard parts.integer.count <= 20 else { throw .invalid }
        var magnitude: UInt64 = 0
        for position in parts.integer {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[position] - Byte.zero))
            guard !overflow1, !overflow2 else { throw .invalid }
            magnitude = sum
        }
        if parts.negative {
            // `-0` is 0, even for an unsigned field.
            guard magnitude == 0 || (min < 0 && magnitude <= min.magnitude) else { throw .invalid }
        } else {
            guard magnitude <= max else { throw .invalid }
        }
    }

    // MARK: Whitespace

    @inline(__always) private func isDelimiter(_ byte: UInt8) -> Bool {
        byte == Byte.comma || byte == Byte.closeBrace || byte == Byte.closeBracket || Byte.isSpace(byte)
    }

    @inline(__always) private mutating func skipSpace() {
        while index < bytes.count, Byte.isSpace(bytes[index]) { index += 1 }
    }

    private mutating func skipSpaceReturningIndex() -> Int {
        skipSpace()
        return index
    }

    /// The next non-space byte, not consumed; running out of text is a truncated body.
    @inline(__always) private mutating func peek() throws(Stop) -> UInt8 {
        skipSpace()
        guard index < bytes.count else { throw .invalid }
        return bytes[index]
    }
}

extension ByteScanner {
    /// The index (within the object) of the field whose name is `bytes[key]`; tries `hint` first (bodies usually
    /// list keys sorted, as the fields are).
    fileprivate func lookup(_ key: Range<Int>, in object: ShapeTables.Object, hint: Int) -> Int? {
        let length = key.count
        guard let keyStart = bytes.baseAddress?.advanced(by: key.lowerBound), let nameBase = names.baseAddress else {
            return nil
        }
        func compare(_ offset: Int) -> Int32 {
            let field = fields[object.firstField + offset]
            let common = Swift.min(length, field.nameCount)
            if common > 0 {
                let order = memcmp(keyStart, nameBase + field.nameStart, common)
                if order != 0 { return order }
            }
            return length == field.nameCount ? 0 : (length < field.nameCount ? -1 : 1)
        }
        if hint < object.fieldCount, compare(hint) == 0 { return hint }
        var low = 0
        var high = object.fieldCount - 1
        while low <= high {
            let middle = (low + high) / 2
            let order = compare(middle)
            if order == 0 { return middle }
            if order < 0 { high = middle - 1 } else { low = middle + 1 }
        }
        return nil
    }
}
