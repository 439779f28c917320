import ConnectorAPI
import Foundation
import Hummingbird

/// Reads a request body (bounded) and decodes it, reporting which field was wrong and how.
struct RequestBodyReader: Sendable {
    let maxBytes: Int
    private static let decoder = JSONDecoder()

    func bytes(_ request: Request) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: maxBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(
                status: .contentTooLarge, code: ErrorCode.bodyTooLarge,
                message: "request body is larger than the limit of \(maxBytes) bytes"
            )
        }
    }

    func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        try Self.checkContentType(request.headers[.contentType])
        let buffer = try await bytes(request)
        return try Self.decode(type, from: Data(buffer: buffer))
    }

    /// As `decode`, but a missing or blank body is nil (a DELETE that may carry one).
    func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T? {
        try Self.checkContentType(request.headers[.contentType])
        let data = Data(buffer: try await bytes(request))
        return Self.isBlank(data) ? nil : try Self.decode(type, from: data)
    }

    static func isBlank(_ data: Data) -> Bool { data.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 } }

    /// A JSON body may come as `application/json` (or any `+json` type), without a type, or as curl's `-d` default
    /// `application/x-www-form-urlencoded` (the README's examples are `curl -d '{...}'`); any other declared type
    /// (text/plain, multipart/form-data, XML...) is 415.
    static func checkContentType(_ value: String?) throws {
        guard let value else { return }
        let type = value.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if type.isEmpty || type == "application/json" || type.hasSuffix("+json") || type == "application/x-www-form-urlencoded" { return }
        throw APIError(
            status: .unsupportedMediaType, code: ErrorCode.unsupportedMediaType,
            message: "Content-Type \(TextRules.printable(type, limit: 60)) is not supported; send the body as application/json")
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        guard !isBlank(data) else {
            throw APIError.malformedJSON("the body is empty; send a JSON object")
        }
        do {
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                if let number = outOfRangeNumber(in: data) { throw number }
                if let notInteger = nonIntegerNumber(in: data, decoding: type) { throw notInteger }
            }
            throw translate(error)
        }
    }

    /// A number such as `1e400` that parses as JSON but not as a finite Double: the decoder only says "not valid
    /// JSON", so find it and name its field (it would otherwise be infinity, e.g. a telemetry `t`).
    static func outOfRangeNumber(in data: Data) -> APIError? {
        let bytes = Array(data)
        guard let found = JSONPath.first(in: bytes[...], number: { Double($0).map { !$0.isFinite } ?? false }) else { return nil }
        return .invalid(found.path, "\(found.token.prefix(64)) is out of range; numbers must be finite (at most about 1.8e308)")
    }

    /// Valid JSON that the decoder still calls "not valid JSON": a number an integer field cannot hold (`1.5`,
    /// `99999999999999999999`). Each such number is tried in turn, replaced by 0: the one whose replacement lets the
    /// body decode past it is the field at fault (a fraction in a field that takes fractions is not).
    static func nonIntegerNumber<T: Decodable>(in data: Data, decoding type: T.Type) -> APIError? {
        guard (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else { return nil }
        let bytes = Array(data)
        let candidates = JSONPath.numbers(in: bytes[...]) { Int($0) == nil }
        for candidate in candidates.prefix(32) {
            var patched = bytes
            patched.replaceSubrange(candidate.range, with: Array("0".utf8))
            do {
                _ = try decoder.decode(type, from: Data(patched))
            } catch let error as DecodingError {
                if case .dataCorrupted(let context) = error, context.codingPath.isEmpty { continue }
            } catch {}
            return notAnInteger(candidate)
        }
        // Several at fault at once: name the first.
        return candidates.first.map(notAnInteger)
    }

    private static func notAnInteger(_ candidate: (path: String, token: String, range: Range<Int>)) -> APIError {
        let reason = candidate.token.contains(where: { ".eE".contains($0) }) ? "is not an integer" : "is out of range for an integer"
        return .invalid(candidate.path, "\(candidate.token.prefix(64)) \(reason)")
    }

    /// Maps Foundation's DecodingError to the field path and a short reason.
    static func translate(_ error: DecodingError) -> APIError {
        switch error {
        case .keyNotFound(let key, let context):
            return .missing(fieldPath(context.codingPath + [key]))
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty, context.underlyingError == nil {
                return .wrongType("body", expected: describe(type))
            }
            return .wrongType(fieldPath(context.codingPath), expected: describe(type))
        case .valueNotFound(let type, let context):
            return .wrongType(fieldPath(context.codingPath), expected: "\(describe(type)), not null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .malformedJSON("not valid JSON")
            }
            return .wrongType(fieldPath(context.codingPath), expected: "a valid value (\(context.debugDescription))")
        @unknown default:
            return .malformedJSON("could not be decoded")
        }
    }

    /// `static_addressing.dhcp_server.reservations`, `[2].t`, `lan_1.ports[0]`.
    static func fieldPath(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == "\(index)" {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "body" : text
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is UInt64.Type, is Int64.Type, is UInt.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "a value of type \(type)"
        }
    }
}
