// The Cloudflare v4 response envelope: `{success, errors, messages, result}`.

/// One entry of `errors` or `messages`.
public struct APIMessage: Codable, Sendable, Equatable, Error {
    public var code: Int
    public var message: String
    /// Where in the request the problem is (`{"pointer": "/lans/0/name"}`), when the error is about one field.
    public var source: CatalogErrorSource?

    public init(code: Int, message: String, source: CatalogErrorSource? = nil) {
        self.code = code
        self.message = message
        self.source = source
    }
}

/// A v4 response. `result` is null on failure; `errors` says why.
public struct Envelope<Result: Codable & Sendable>: Codable, Sendable {
    public var success: Bool
    public var errors: [APIMessage]
    public var messages: [APIMessage]
    public var result: Result?

    public init(success: Bool, errors: [APIMessage] = [], messages: [APIMessage] = [], result: Result?) {
        self.success = success
        self.errors = errors
        self.messages = messages
        self.result = result
    }

    /// A successful response carrying `result`.
    public static func ok(_ result: Result) -> Envelope { Envelope(success: true, result: result) }

    /// A failed response: `result` is null, `errors` holds the reasons.
    public static func failure(_ errors: [APIMessage]) -> Envelope { Envelope(success: false, errors: errors, result: nil) }

    enum CodingKeys: String, CodingKey {
        case success, errors, messages, result
    }

    // `result` is written as an explicit null on failure, as the real API does.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(success, forKey: .success)
        try container.encode(errors, forKey: .errors)
        try container.encode(messages, forKey: .messages)
        if let result { try container.encode(result, forKey: .result) } else { try container.encodeNil(forKey: .result) }
    }

    // The real API omits `errors`/`messages` on some telemetry responses; treat absent as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        success = try container.decode(Bool.self, forKey: .success)
        errors = try container.decodeIfPresent([APIMessage].self, forKey: .errors) ?? []
        messages = try container.decodeIfPresent([APIMessage].self, forKey: .messages) ?? []
        result = try container.decodeIfPresent(Result.self, forKey: .result)
    }
}

/// A page of telemetry metadata, as the list endpoints return it: `{count, items, cursor}`.
public struct TelemetryPage<Item: Codable & Sendable>: Codable, Sendable {
    public var count: Int
    public var items: [Item]
    public var cursor: String?

    public init(count: Int, items: [Item], cursor: String?) {
        self.count = count
        self.items = items
        self.cursor = cursor
    }
}
