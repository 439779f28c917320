import ConnectorAPI
import Hummingbird

/// An error the API reports in the v4 envelope: an HTTP status plus one `{code, message}`, or one item per
/// problem when the site rules found several.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: Int
    public var message: String
    /// Every problem of a body that breaks the site rules, each its own item of `errors` with `source.pointer`;
    /// `code` and `message` are then the first one's.
    public var items: [APIMessage] = []
    /// Extra response headers (e.g. `Allow` on 405).
    public var headers: HTTPFields = [:]
    /// Set on Magic Cloud Networking routes (catalog syncs): the error is written as the documented richer
    /// item, `{code, message, documentation_url, meta, source}`.
    public var mcn: MCNErrorDetail?

    public init(
        status: HTTPResponse.Status, code: Int, message: String, items: [APIMessage] = [], headers: HTTPFields = [:],
        mcn: MCNErrorDetail? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.items = items
        self.headers = headers
        self.mcn = mcn
    }
}

/// The mock's error codes: one 1000-range code per kind of failure (documented in docs/mock-api.md).
public enum ErrorCode {
    public static let malformedJSON = 1001
    public static let missingField = 1002
    public static let wrongType = 1003
    public static let invalidValue = 1004
    public static let invalidQuery = 1005
    public static let notFound = 1006
    public static let conflict = 1007
    public static let methodNotAllowed = 1008
    public static let bodyTooLarge = 1009
    public static let unauthenticated = 1010
    public static let forbidden = 1011
    public static let unknownRoute = 1012
    /// A catalog-sync policy that does not parse or type-check (422; the message gives the position).
    public static let invalidPolicy = 1013
    /// A refresh whose matches do not fit the destination list (422; recorded in the sync's `errors`).
    public static let destinationFull = 1014
    /// Internal error on catalog-sync routes, whose codes come from the documented list (1099 is not in it).
    public static let mcnInternalError = 1018
    public static let internalError = 1099
    /// A body declared as something other than JSON (415).
    public static let unsupportedMediaType = 1015
}

extension APIError {
    static func malformedJSON(_ detail: String) -> APIError {
        APIError(status: .badRequest, code: ErrorCode.malformedJSON, message: "malformed JSON body: \(detail)")
    }

    static func missing(_ field: String) -> APIError {
        APIError(status: .badRequest, code: ErrorCode.missingField, message: "\(field): required field is missing")
    }

    static func wrongType(_ field: String, expected: String) -> APIError {
        APIError(status: .badRequest, code: ErrorCode.wrongType, message: "\(field): expected \(expected)")
    }

    /// A value of the right type that breaks a rule of the API (422).
    static func invalid(_ field: String, _ why: String) -> APIError {
        APIError(status: .unprocessableContent, code: ErrorCode.invalidValue, message: "\(field): \(why)")
    }

    static func query(_ parameter: String, _ why: String) -> APIError {
        APIError(status: .badRequest, code: ErrorCode.invalidQuery, message: "query parameter \(parameter): \(why)")
    }

    static func notFound(_ what: String, _ id: String) -> APIError {
        APIError(status: .notFound, code: ErrorCode.notFound, message: "\(what) '\(id)' not found")
    }

    static func conflict(_ message: String) -> APIError {
        APIError(status: .conflict, code: ErrorCode.conflict, message: message)
    }

    static let unauthenticated = APIError(
        status: .unauthorized, code: ErrorCode.unauthenticated,
        message: "authentication required: send 'Authorization: Bearer <token>' or 'X-Auth-Email' and 'X-Auth-Key'"
    )

    static let unknownCredentials = APIError(
        status: .unauthorized, code: ErrorCode.unauthenticated, message: "unknown API token or key"
    )
}

extension APIError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.failure(self)
    }
}
