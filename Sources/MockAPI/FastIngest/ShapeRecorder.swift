/// Derives a type's `JSONShape` by running its own `init(from:)` once against a decoder that answers every
/// request with a placeholder and writes down what was asked: which keys, with `decode` or `decodeIfPresent`,
/// as which type. The validator's schema is therefore the Codable type itself, not a second list of fields.
/// A type whose decoding branches on the data (an enum's cases) records only the branch placeholders take; such
/// types are for `JSONDecoder`, not for this recorder.
enum ShapeRecorder {
    struct Unsupported: Error {}

    /// The shape of `T`; throws if `T` decodes in a way the recorder cannot follow.
    static func shape<T: Decodable>(of type: T.Type) throws -> JSONShape {
        try record(type).shape
    }

    fileprivate static func record<T: Decodable>(_ type: T.Type) throws -> (shape: JSONShape, value: T) {
        if let leaf = leafShape(type), let value = placeholder(type) { return (leaf, value) }
        let decoder = RecordingDecoder()
        let value = try T(from: decoder)
        return (decoder.recorded?.shape ?? .unmodelled, value)
    }

    /// The shape of a type that JSONDecoder decodes as one scalar.
    fileprivate static func leafShape(_ type: Any.Type) -> JSONShape? {
        switch type {
        case is String.Type: .string
        case is Bool.Type: .bool
        case is Double.Type: .double
        case is Int.Type: integer(Int.self)
        case is Int8.Type: integer(Int8.self)
        case is Int16.Type: integer(Int16.self)
        case is Int32.Type: integer(Int32.self)
        case is Int64.Type: integer(Int64.self)
        case is UInt.Type: integer(UInt.self)
        case is UInt8.Type: integer(UInt8.self)
        case is UInt16.Type: integer(UInt16.self)
        case is UInt32.Type: integer(UInt32.self)
        case is UInt64.Type: integer(UInt64.self)
        case is Float.Type: .unmodelled
        default: nil
        }
    }

    private static func integer<I: FixedWidthInteger>(_ type: I.Type) -> JSONShape {
        .integer(min: Int64(I.min), max: UInt64(I.max))
    }

    fileprivate static func placeholder<T>(_ type: T.Type) -> T? {
        let values: [Any] = [
            "", false, 0.0, Float(0), 0, Int8(0), Int16(0), Int32(0), Int64(0), UInt(0), UInt8(0), UInt16(0), UInt32(0),
            UInt64(0),
        ]
        for value in values { if let typed = value as? T { return typed } }
        return nil
    }
}

/// What one decoder (one JSON value) was asked for.
private final class Recording {
    enum Kind { case object, array, single }
    let kind: Kind
    var fields: [ObjectShape.Field] = []
    var element: JSONShape?
    var single: JSONShape?
    /// A keyed container was asked for its keys (a dictionary): its fields are not fixed names.
    var enumeratesKeys = false

    init(_ kind: Kind) { self.kind = kind }

    var shape: JSONShape {
        switch kind {
        case .object: enumeratesKeys ? .unmodelled : .object(ObjectShape(fields: fields))
        case .array: .array(of: element ?? .unmodelled)
        case .single: single ?? .unmodelled
        }
    }
}

private final class RecordingDecoder: Decoder {
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]
    var recorded: Recording?

    private func start(_ kind: Recording.Kind) throws -> Recording {
        // A second container from the same decoder (a type reading itself two ways) is not followed.
        guard recorded == nil else { throw ShapeRecorder.Unsupported() }
        let recording = Recording(kind)
        recorded = recording
        return recording
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RecordingKeyedContainer<Key>(recording: try start(.object)))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        RecordingUnkeyedContainer(recording: try start(.array))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        RecordingSingleContainer(recording: try start(.single))
    }
}

private struct RecordingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let recording: Recording
    var codingPath: [any CodingKey] = []
    var allKeys: [Key] {
        recording.enumeratesKeys = true
        return []
    }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    private func add<T: Decodable>(_ type: T.Type, _ key: Key, required: Bool) throws -> T {
        let (shape, value) = try ShapeRecorder.record(type)
        recording.fields.append(.init(name: Array(key.stringValue.utf8), shape: shape, required: required))
        return value
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try add(type, key, required: true) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        _ = try add(type, key, required: false)
        return nil
    }
    // The concrete overloads the synthesized `init(from:)` calls, routed to the generic ones.
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try add(type, key, required: true) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try add(type, key, required: true) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try add(type, key, required: true) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try add(type, key, required: true) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try add(type, key, required: true) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try add(type, key, required: true) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try add(type, key, required: true) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try add(type, key, required: true) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try add(type, key, required: true) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try add(type, key, required: true) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try add(type, key, required: true) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try add(type, key, required: true) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try add(type, key, required: true) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try add(type, key, required: true) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(type, key) }

    private func optional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        _ = try add(type, key, required: false)
        return nil
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    { throw ShapeRecorder.Unsupported() }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw ShapeRecorder.Unsupported()
    }
    func superDecoder() throws -> any Decoder { throw ShapeRecorder.Unsupported() }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw ShapeRecorder.Unsupported() }
}

/// Answers one element, then says it is at the end: the element's type is the array's.
private struct RecordingUnkeyedContainer: UnkeyedDecodingContainer {
    let recording: Recording
    var codingPath: [any CodingKey] = []
    var count: Int? { nil }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex > 0 }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try element(type) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try element(type) }
    mutating func decode(_ type: String.Type) throws -> String { try element(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try element(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try element(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try element(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try element(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try element(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try element(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try element(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try element(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try element(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try element(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try element(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try element(type) }

    private mutating func element<T: Decodable>(_ type: T.Type) throws -> T {
        let (shape, value) = try ShapeRecorder.record(type)
        recording.element = shape
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    { throw ShapeRecorder.Unsupported() }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { throw ShapeRecorder.Unsupported() }
    mutating func superDecoder() throws -> any Decoder { throw ShapeRecorder.Unsupported() }
}

private struct RecordingSingleContainer: SingleValueDecodingContainer {
    let recording: Recording
    var codingPath: [any CodingKey] = []

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try value(type) }
    func decode(_ type: Bool.Type) throws -> Bool { try value(type) }
    func decode(_ type: String.Type) throws -> String { try value(type) }
    func decode(_ type: Double.Type) throws -> Double { try value(type) }
    func decode(_ type: Float.Type) throws -> Float { try value(type) }
    func decode(_ type: Int.Type) throws -> Int { try value(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try value(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try value(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try value(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try value(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try value(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try value(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try value(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try value(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try value(type) }

    private func value<T: Decodable>(_ type: T.Type) throws -> T {
        let (shape, value) = try ShapeRecorder.record(type)
        recording.single = shape
        return value
    }
}
