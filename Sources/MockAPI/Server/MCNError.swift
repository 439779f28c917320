import ConnectorAPI
import Foundation
import Hummingbird

/// What the Magic Cloud Networking error item adds to `{code, message}`: where the problem is.
public struct MCNErrorDetail: Sendable, Equatable {
    /// The query or path parameter at fault.
    public var parameter: String?
    /// JSON pointer into the body, e.g. `/policy`.
    public var pointer: String?
    /// Values for the message template (e.g. a policy error's `position`).
    public var templateData: [String: String]?
    /// The family's documentation page; nil: the catalog syncs'.
    public var documentationURL: String?

    public init(parameter: String? = nil, pointer: String? = nil, templateData: [String: String]? = nil, documentationURL: String? = nil) {
        self.parameter = parameter
        self.pointer = pointer
        self.templateData = templateData
        self.documentationURL = documentationURL
    }
}

/// The documented error shape of the catalog-sync endpoints (`mcn_bad_response`): every error item has
/// `code`, `message`, `documentation_url`, `meta` (with a per-response `trace_id`) and `source`. The tunnel,
/// interconnect and route families document the same item (`ResponseInfo`, without `meta`) and use it too.
enum MCNError {
    static let documentationURL = "https://developers.cloudflare.com/api/resources/magic_cloud_networking/subresources/catalog_syncs/"

    /// Our field errors start with the field path (`name: ...`, `query parameter x: ...`); point at it.
    static func derive(_ error: APIError) -> MCNErrorDetail {
        switch error.code {
        case ErrorCode.missingField, ErrorCode.wrongType, ErrorCode.invalidValue, ErrorCode.invalidPolicy:
            guard let colon = error.message.firstIndex(of: ":") else { return MCNErrorDetail() }
            let field = error.message[..<colon]
            guard !field.contains(" "), field != "body" else { return MCNErrorDetail() }
            return MCNErrorDetail(pointer: pointer(String(field)))
        case ErrorCode.invalidQuery:
            let prefix = "query parameter "
            guard error.message.hasPrefix(prefix), let colon = error.message.firstIndex(of: ":") else { return MCNErrorDetail() }
            return MCNErrorDetail(parameter: String(error.message[error.message.index(error.message.startIndex, offsetBy: prefix.count)..<colon]))
        default:
            return MCNErrorDetail()
        }
    }

    /// `resources[3].cidrs[0]` → `/resources/3/cidrs/0`.
    static func pointer(_ field: String) -> String {
        "/" + field.replacingOccurrences(of: "]", with: "").replacingOccurrences(of: "[", with: ".")
            .split(separator: ".").joined(separator: "/")
    }

    private struct Failure: Encodable {
        let errors: [CatalogErrorItem]
        let messages: [CatalogErrorItem] = []
        let result: String? = nil
        let success = false

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(errors, forKey: .errors)
            try container.encode(messages, forKey: .messages)
            try container.encodeNil(forKey: .result)
            try container.encode(success, forKey: .success)
        }

        enum CodingKeys: String, CodingKey { case errors, messages, result, success }
    }

    static func failure(_ error: APIError, _ detail: MCNErrorDetail) -> Response {
        let source = detail.parameter == nil && detail.pointer == nil ? nil : CatalogErrorSource(parameter: detail.parameter, pointer: detail.pointer)
        let meta = CatalogErrorMeta(templateData: detail.templateData, traceId: Identifier.hex(bytes: 8))
        let url = detail.documentationURL ?? documentationURL
        let items = error.items.isEmpty
            ? [CatalogErrorItem(code: error.code, message: error.message, documentationUrl: url, meta: meta, source: source)]
            : error.items.map { CatalogErrorItem(code: $0.code, message: $0.message, documentationUrl: url, meta: meta, source: $0.source) }
        let data = (try? JSONResponse.encoder.encode(Failure(errors: items))) ?? Data(#"{"errors":[],"messages":[],"result":null,"success":false}"#.utf8)
        var response = JSONResponse.make(ByteBuffer(bytes: data), status: error.status)
        for field in error.headers { response.headers.append(field) }
        return response
    }
}

extension APIError {
    /// A policy that does not parse or type-check: 422 naming the position.
    static func policy(_ error: PolicyError) -> APIError {
        APIError(
            status: .unprocessableContent, code: ErrorCode.invalidPolicy, message: "policy: \(error)",
            mcn: MCNErrorDetail(pointer: "/policy", templateData: ["position": String(error.position)])
        )
    }
}
