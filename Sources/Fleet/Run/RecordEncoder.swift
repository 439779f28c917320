import Foundation

/// The fleet's records as JSON, byte for byte what `Agent.encoder()` writes (keys sorted, slashes not escaped,
/// whole doubles without ".0"), but written directly: Foundation's `JSONEncoder` builds a tree of values and sorts
/// each object's keys through a generic comparison, which was 83 % of the fleet's time (README, "fleet").
/// RecordEncoderTests holds it to `Agent.encoder()`'s output.
public struct RecordEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> Data {
        let writer = JSONValueWriter()
        try value.encode(to: writer)
        var output: [UInt8] = []
        output.reserveCapacity(12_288)
        writer.write(to: &output)
        return Data(output)
    }
}

/// One JSON value being encoded: a scalar's text, an object's members or an array's elements.
private final class JSONValueWriter: Encoder {
    /// A member's or element's text: a range of `storage` (scalars, written once, no array each), or a nested value.
    enum Value {
        case text(Range<Int>)
        case nested(JSONValueWriter)
    }

    /// The scalars' texts of this object or array, back to back.
    var storage: [UInt8] = []

    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]
    var scalar: [UInt8]?
    var members: [(key: String, value: Value)]?
    var elements: [Value]?

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if members == nil { members = [] }
        return KeyedEncodingContainer(KeyedWriter<Key>(writer: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if elements == nil { elements = [] }
        return UnkeyedWriter(writer: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleWriter(writer: self) }

    func write(to output: inout [UInt8]) {
        if let members {
            output.append(UInt8(ascii: "{"))
            // Keys are compared as strings: for the schema's ASCII names that is byte order, as JSONEncoder sorts.
            for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                write(member.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        } else if let elements {
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        } else {
            output += scalar ?? Array("{}".utf8)
        }
    }

    func write(_ value: Value, to output: inout [UInt8]) {
        switch value {
        case .text(let range): output.append(contentsOf: storage[range])
        case .nested(let writer): writer.write(to: &output)
        }
    }

    static func writeString(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        defer { output.append(UInt8(ascii: "\"")) }
        // Almost every string of a record needs no escape: copied at once.
        let copied = string.utf8.withContiguousStorageIfAvailable { bytes in
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else {
                return false
            }
            output.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x08: output += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: output += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: output.append(byte)
            }
        }
    }

    /// Appends a scalar's text to `storage`; its range.
    func text(_ write: (inout [UInt8]) throws -> Void) rethrows -> Value {
        let start = storage.count
        try write(&storage)
        return .text(start..<storage.count)
    }

    func text(_ string: String) -> Value { text { Self.writeString(string, to: &$0) } }
    func text<I: BinaryInteger>(_ number: I) -> Value { text { $0.append(contentsOf: String(number).utf8) } }
    func text(_ flag: Bool) -> Value { text { $0.append(contentsOf: (flag ? "true" : "false").utf8) } }
    func text<F: BinaryFloatingPoint & LosslessStringConvertible>(_ number: F) throws -> Value {
        let digits = try Self.number(number, path: codingPath)
        return text { $0.append(contentsOf: digits.utf8) }
    }

    /// A double as JSONEncoder writes it: the shortest text that reads back the same, without a trailing ".0".
    static func number<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, path: [any CodingKey]) throws
        -> String
    {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: path, debugDescription: "\(value) is not a JSON number"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// The text of a value: scalars directly, anything else through a nested writer.
    func encoded<T: Encodable>(_ value: T, key: (any CodingKey)?) throws -> Value {
        switch value {
        case let string as String: return text(string)
        case let flag as Bool: return text(flag)
        case let number as Double: return try text(number)
        case let number as Float: return try text(number)
        case let number as any BinaryInteger: return text { $0.append(contentsOf: String(describing: number).utf8) }
        default:
            let nested = JSONValueWriter()
            nested.codingPath = codingPath + (key.map { [$0] } ?? [])
            try value.encode(to: nested)
            return .nested(nested)
        }
    }
}

private struct KeyedWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONValueWriter
    var codingPath: [any CodingKey] { writer.codingPath }

    mutating func encodeNil(forKey key: Key) throws {
        writer.members?.append((key.stringValue, writer.text { $0.append(contentsOf: "null".utf8) }))
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        writer.members?.append((key.stringValue, writer.text(value)))
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        writer.members?.append((key.stringValue, writer.text(value)))
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        writer.members?.append((key.stringValue, try writer.text(value)))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        writer.members?.append((key.stringValue, writer.text(value)))
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        writer.members?.append((key.stringValue, writer.text(value)))
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        writer.members?.append((key.stringValue, writer.text(value)))
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        writer.members?.append((key.stringValue, try writer.encoded(value, key: key)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = JSONValueWriter()
        nested.codingPath = codingPath + [key]
        writer.members?.append((key.stringValue, .nested(nested)))
        return nested.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONValueWriter()
        nested.codingPath = codingPath + [key]
        writer.members?.append((key.stringValue, .nested(nested)))
        return nested.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        let nested = JSONValueWriter()
        nested.codingPath = codingPath
        writer.members?.append((name, .nested(nested)))
        return nested
    }
}

private struct UnkeyedWriter: UnkeyedEncodingContainer {
    let writer: JSONValueWriter
    var codingPath: [any CodingKey] { writer.codingPath }
    var count: Int { writer.elements?.count ?? 0 }

    mutating func encodeNil() throws { writer.elements?.append(writer.text { $0.append(contentsOf: "null".utf8) }) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        writer.elements?.append(try writer.encoded(value, key: nil))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
        NestedKey
    > {
        let nested = JSONValueWriter()
        writer.elements?.append(.nested(nested))
        return nested.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONValueWriter()
        writer.elements?.append(.nested(nested))
        return nested.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let nested = JSONValueWriter()
        writer.elements?.append(.nested(nested))
        return nested
    }
}

private struct SingleWriter: SingleValueEncodingContainer {
    let writer: JSONValueWriter
    var codingPath: [any CodingKey] { writer.codingPath }

    mutating func encodeNil() throws { writer.scalar = Array("null".utf8) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        switch try writer.encoded(value, key: nil) {
        case .text(let range): writer.scalar = Array(writer.storage[range])
        case .nested(let nested):
            writer.storage = nested.storage
            (writer.members, writer.elements, writer.scalar) = (nested.members, nested.elements, nested.scalar)
        }
    }
}
