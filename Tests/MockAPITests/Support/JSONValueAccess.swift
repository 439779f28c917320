import ConnectorAPI
import Foundation
import HummingbirdTesting

/// Reading a free-form JSON document (openapi.json, a body walked by path) typed, key by key.
extension JSONValue {
    subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { fields[key] } else { nil }
    }

    var object: [String: JSONValue]? {
        if case .object(let fields) = self { fields } else { nil }
    }

    var array: [JSONValue]? {
        if case .array(let items) = self { items } else { nil }
    }

    var string: String? {
        if case .string(let text) = self { text } else { nil }
    }

    var bool: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }
}

extension RouterClient {
    /// The whole response body as JSON (a document that is not in the v4 envelope).
    func json(_ response: RouterResponse) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
    }
}
