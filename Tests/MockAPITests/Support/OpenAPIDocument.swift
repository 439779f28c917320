import Foundation
import HummingbirdTesting

/// The parts of the mock's openapi.json the tests read, typed. A path item also holds keys that are not
/// operations (`parameters`), so each entry is read leniently: nil where it is not an operation.
struct OpenAPIDocument: Decodable {
    /// A value that is read if it has the expected shape, and nil otherwise.
    struct Lenient<Value: Decodable>: Decodable {
        let value: Value?
        init(from decoder: any Decoder) throws { value = try? Value(from: decoder) }
    }

    /// Any JSON value, skipped: only whether its key is there matters.
    struct Present: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    struct Parameter: Decodable { let name: String? }

    struct Operation: Decodable {
        let addition: Bool?
        let responses: [String: Present]?
        let parameters: [Parameter]?
        enum CodingKeys: String, CodingKey {
            case responses, parameters
            case addition = "x-vconnector-addition"
        }
    }

    struct Property: Decodable {
        let readOnly: Bool?
    }

    struct Schema: Decodable {
        let properties: [String: Lenient<Property>]?
    }

    struct Components: Decodable {
        let schemas: [String: Lenient<Schema>]
    }

    let paths: [String: [String: Lenient<Operation>]]
    let components: Components?

    /// The operation `method` of `path`, if there is one.
    func operation(_ path: String, _ method: String) -> Operation? { paths[path]?[method]?.value }

    /// The keys of a path item (its methods, and `parameters` if it has them).
    func keys(_ path: String) -> Set<String> { Set(paths[path]?.keys.map { $0 } ?? []) }
}

extension RouterClient {
    /// GETs /openapi.json (no credential needed) and reads it.
    func openAPIDocument() async throws -> OpenAPIDocument {
        let response = try await send(.get, "/openapi.json", token: nil)
        return try JSONDecoder().decode(OpenAPIDocument.self, from: Data(buffer: response.body))
    }
}
