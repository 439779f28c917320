/// What `JSONDecoder` demands of one JSON value when it decodes a given `Decodable` type, as far as the
/// byte-level validator needs to know: the value's kind, integer bounds, and an object's fields. Recorded from
/// the type itself (`ShapeRecorder`), never written by hand.
indirect enum JSONShape: Sendable {
    case string
    case bool
    /// A `Double`: any JSON number that converts to a finite, non-underflowing Double.
    case double
    /// A fixed-width integer: an integer literal within `min...max`.
    case integer(min: Int64, max: UInt64)
    case array(of: JSONShape)
    case object(ObjectShape)
    /// Something the validator does not model (Float, Decimal, dictionaries, custom single values...): a value of
    /// this shape leaves the decision to `JSONDecoder`.
    case unmodelled
}

/// The fields `init(from:)` asks for, by JSON name; keys it does not ask for are ignored, as `JSONDecoder` does.
final class ObjectShape: Sendable {
    struct Field: Sendable {
        let name: [UInt8]
        let shape: JSONShape
        /// Asked for with `decode` (absent or null is an error), not `decodeIfPresent`.
        let required: Bool
    }

    /// Sorted by the bytes of the name, for binary search.
    let fields: [Field]
    let requiredCount: Int

    init(fields: [Field]) {
        var unique: [Field] = []
        for field in fields where !unique.contains(where: { $0.name == field.name }) { unique.append(field) }
        self.fields = unique.sorted { $0.name.lexicographicallyPrecedes($1.name) }
        requiredCount = unique.filter(\.required).count
    }

    /// The index of the field named `name`, or nil.
    func index(of name: String) -> Int? { fields.firstIndex { $0.name == Array(name.utf8) } }
}
