import ConnectorAPI
import SiteRules

extension APIError {
    /// Throws every problem the site rules found in a body as one failure: each problem an item of `errors` with
    /// its `source.pointer`. Missing fields alone are 400 (code 1002), as for any body; any other problem makes
    /// it 422 (1004), the status of a value that breaks a rule.
    static func check(_ problems: [SiteProblem]) throws {
        guard let first = problems.first else { return }
        let items = problems.map { problem in
            APIMessage(
                code: problem.code == .required ? ErrorCode.missingField : ErrorCode.invalidValue,
                message: problem.description,
                source: CatalogErrorSource(pointer: problem.pointer)
            )
        }
        let onlyMissing = problems.allSatisfy { $0.code == .required }
        throw APIError(
            status: onlyMissing ? .badRequest : .unprocessableContent, code: items[0].code, message: first.description,
            items: items
        )
    }
}
