import ConnectorAPI
import Foundation
import HummingbirdTesting

/// A Magic tunnel or route result read back in its documented wrapping: `{"gre_tunnel": {...}}`,
/// `{"modified": true, "modified_gre_tunnels": [...]}`, `{"deleted": true, "deleted_route": {...}}`.
/// The key depends on the family, so `RouterClient.keyed` passes it in the decoder's user info.
struct Keyed<Value: Codable & Sendable>: Codable, Sendable {
    static var keyInfo: CodingUserInfoKey { CodingUserInfoKey(rawValue: "vconnector.test.keyed")! }

    let key: String
    let value: Value?
    let modified: Bool?
    let deleted: Bool?
    /// The keys of the wrapped object, when it is one: a typed value cannot tell an absent field from a null one.
    let valueKeys: Set<String>?

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        guard let key = decoder.userInfo[Self.keyInfo] as? String else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "no key for a keyed result"))
        }
        let container = try decoder.container(keyedBy: Key.self)
        self.key = key
        value = try container.decodeIfPresent(Value.self, forKey: Key(key))
        modified = try container.decodeIfPresent(Bool.self, forKey: Key("modified"))
        deleted = try container.decodeIfPresent(Bool.self, forKey: Key("deleted"))
        valueKeys = (try? container.decodeIfPresent([String: JSONValue].self, forKey: Key(key))).flatMap {
            $0.map { Set($0.keys) }
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(value, forKey: Key(key))
        try container.encodeIfPresent(modified, forKey: Key("modified"))
        try container.encodeIfPresent(deleted, forKey: Key("deleted"))
    }
}

extension RouterClient {
    /// The response's envelope with its result read as `{key: Value}` (plus `modified`/`deleted`).
    func keyed<Value: Codable & Sendable>(_ type: Value.Type, _ key: String, _ response: RouterResponse) throws
        -> Envelope<Keyed<Value>>
    {
        let decoder = JSONDecoder()
        decoder.userInfo[Keyed<Value>.keyInfo] = key
        return try decoder.decode(Envelope<Keyed<Value>>.self, from: Data(buffer: response.body))
    }
}
