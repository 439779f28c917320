/// A value read from the text the API and config files write it as: an address, a prefix.
public protocol TextParsable: Hashable, Sendable {
    /// nil when `text` is not one, strictly (the text a value is written as parses back to the same value).
    init?(parsing text: String)
}

/// A field as it was written, with its value parsed once, at decode; `value` is nil when the text is not one.
///
/// Decoding never fails on a bad value, so the site rules report every bad field with its path (a decoder would
/// stop at the first), and nothing downstream parses the text again. Encoding writes the text back unchanged:
/// what the mock stores and serves is what was sent, byte for byte.
public struct Parsed<Value: TextParsable>: Codable, Hashable, Sendable, ExpressibleByStringInterpolation,
    CustomStringConvertible
{
    /// The text as written (data, never a directive: it may hold anything a JSON string can).
    public let text: String
    /// The value, or nil when `text` is not one.
    public let value: Value?

    public init(_ text: String) {
        self.text = text
        self.value = Value(parsing: text)
    }

    public init(stringLiteral text: String) { self.init(text) }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    public var description: String { text }
}

extension Parsed where Value: CustomStringConvertible {
    /// A field holding `value`, written as its canonical text.
    public init(value: Value) {
        self.text = value.description
        self.value = value
    }
}

/// An IPv4 address field (`192.0.2.1`).
public typealias AddressField = Parsed<IPv4Address>
/// An IPv4 address-with-prefix field (`192.168.10.1/24` on an interface, `10.0.0.0/8` for a route).
public typealias CIDRField = Parsed<IPv4CIDR>

extension IPv4Address: TextParsable {
    public init?(parsing text: String) { self.init(text) }
}

extension IPv4CIDR: TextParsable {
    public init?(parsing text: String) { self.init(text) }
}
