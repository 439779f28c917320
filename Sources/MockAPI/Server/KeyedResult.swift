/// A result object whose keys depend on the family, as the Magic tunnel and route endpoints wrap their objects:
/// `{"gre_tunnels": [...]}`, `{"modified": true, "modified_ipsec_tunnel": {...}}`, `{"deleted": true, ...}`.
struct KeyedResult<Value: Encodable & Sendable>: Encodable, Sendable {
    /// `modified` or `deleted` with its value; nil for a plain `{key: value}`.
    var flag: String?
    var flagValue = true
    let key: String
    let value: Value

    init(_ key: String, _ value: Value) {
        self.key = key
        self.value = value
    }

    init(flag: String, _ flagValue: Bool, _ value: Value, key: String) {
        self.flag = flag
        self.flagValue = flagValue
        self.key = key
        self.value = value
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: NamedKey.self)
        if let flag { try container.encode(flagValue, forKey: NamedKey(flag)) }
        try container.encode(value, forKey: NamedKey(key))
    }
}

/// A bulk body `{"<family>s": [...]}`: `{"routes": [...]}`, `{"gre_tunnels": [...]}`.
struct KeyedList<Element: MagicObject>: Decodable, Sendable {
    let items: [Element]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: NamedKey.self)
        items = try container.decode([Element].self, forKey: NamedKey(Element.family.plural))
    }
}

/// A coding key chosen at run time.
struct NamedKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
