import ConnectorAPI
import Foundation

/// A `--catalog` file that cannot be used; the message names the file and the field.
public struct CatalogFileError: Error, CustomStringConvertible {
    public let description: String
}

/// The discovered resources every account's catalog starts with (the `--catalog` file, or none).
public struct ResourceCatalog: Sendable {
    let file: CatalogFile

    public static let empty = ResourceCatalog(file: CatalogFile(resources: []))

    init(file: CatalogFile) { self.file = file }

    /// Reads and checks a catalog file (format: fixtures/catalog/example.json).
    public static func load(path: String) throws -> ResourceCatalog {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CatalogFileError(description: "catalog file \(path): cannot be read (\(error.localizedDescription))")
        }
        do {
            var file = try RequestBodyReader.decode(CatalogFile.self, from: data)
            if let until = file.discoveredUntil {
                guard let date = CatalogValidation.parseTimestamp(until) else {
                    throw APIError.invalid("discovered_until", "'\(until)' is not an ISO 8601 UTC time")
                }
                file.discoveredUntil = MockStore.timestamp(date)
            }
            file.resources = try CatalogValidation.validate(file.resources, now: MockStore.timestamp())
            return ResourceCatalog(file: file)
        } catch let error as APIError {
            throw CatalogFileError(description: "catalog file \(path): \(error.message)")
        }
    }

    public var resourceCount: Int { file.resources.count }
}
