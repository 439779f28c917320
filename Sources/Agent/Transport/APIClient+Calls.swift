import ConnectorAPI
import Foundation

/// The API answered, and said no: a 4xx, or a 2xx envelope without success. Retrying unchanged will not help.
public struct APIRefusal: Error, CustomStringConvertible {
    public var status: Int
    public var reasons: String
    public var description: String { "HTTP \(status): \(reasons)" }
}

/// The API could not be reached or failed on its side (connection error, timeout, 408, 429, 5xx): try again later.
public struct APIUnavailable: Error, CustomStringConvertible {
    public var description: String
}

extension APIClient {
    /// POST (or another method) of a JSON body; the envelope's `result`. Throws `APIRefusal` or `APIUnavailable`.
    package func call<Body: Encodable, Result: Codable & Sendable>(_ method: String, _ path: String, body: Body, as type: Result.Type) async throws -> Result {
        let encoded = try JSONEncoder().encode(body)
        guard let result = try decodeAnswer(method, path, try await exchange(method, path, body: encoded), as: type) else {
            throw APIRefusal(status: 200, reasons: "\(method) \(path): the answer has no result")
        }
        return result
    }

    /// PUT of raw bytes (a file) with their content type; the envelope's `result`.
    func upload<Result: Codable & Sendable>(_ path: String, bytes: Data, contentType: String, as type: Result.Type) async throws -> Result {
        guard let result = try decodeAnswer("PUT", path, try await exchange("PUT", path, body: bytes, contentType: contentType), as: type) else {
            throw APIRefusal(status: 200, reasons: "PUT \(path): the answer has no result")
        }
        return result
    }

    /// GET whose `result` may be null (nothing there); a 404 (e.g. an API without this addition) is nil too.
    func getOptional<Result: Codable & Sendable>(_ type: Result.Type, _ path: String) async throws -> Result? {
        let answer = try await exchange("GET", path, body: nil)
        if answer.status == 404 { return nil }
        return try decodeAnswer("GET", path, answer, as: type)
    }

    private func exchange(_ method: String, _ path: String, body: Data?, contentType: String? = nil) async throws -> (data: Data, status: Int) {
        let answer: (Data, Int)
        do {
            answer = try await send(method, path, body: body, contentType: contentType)
        } catch {
            throw APIUnavailable(description: "\(method) \(path): \(error.localizedDescription)")
        }
        if [408, 429].contains(answer.1) || answer.1 >= 500 {
            throw APIUnavailable(description: "\(method) \(path): HTTP \(answer.1)")
        }
        return (answer.0, answer.1)
    }

    /// The envelope's `result` (nil when null) of a successful answer; `APIRefusal` otherwise.
    private func decodeAnswer<Result: Codable & Sendable>(_ method: String, _ path: String, _ answer: (data: Data, status: Int), as type: Result.Type) throws -> Result? {
        if (200..<300).contains(answer.status), let envelope = try? JSONDecoder().decode(Envelope<Result>.self, from: answer.data), envelope.success {
            return envelope.result
        }
        let errors = (try? JSONDecoder().decode(Envelope<IgnoredResult>.self, from: answer.data))?.errors
        let reasons = errors.map { $0.map { "\($0.code) \(TextRules.printable($0.message))" }.joined(separator: "; ") }
            ?? TextRules.printable(String(decoding: answer.data.prefix(200), as: UTF8.self))
        throw APIRefusal(status: answer.status, reasons: "\(method) \(path): \(reasons.isEmpty ? "undecodable answer" : reasons)")
    }
}
