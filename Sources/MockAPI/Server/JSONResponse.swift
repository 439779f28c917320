import ConnectorAPI
import Foundation
import Hummingbird

/// Builds v4 envelope responses; stored JSON bodies are spliced in as text, never re-parsed.
enum JSONResponse {
    /// One encoder for every response; sorted keys keep responses stable for diffs and tests.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// `{"success":true,...,"result":<result>}`.
    static func ok<Result: Encodable & Sendable>(_ result: Result, status: HTTPResponse.Status = .ok) throws -> Response {
        let json = try encoder.encode(result)
        return raw(resultJSON: json, status: status)
    }

    /// A success envelope around an already-encoded result.
    static func raw(resultJSON: some Sequence<UInt8>, status: HTTPResponse.Status = .ok) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(#"{"errors":[],"messages":[],"result":"#)
        buffer.writeBytes(resultJSON)
        buffer.writeString(#","success":true}"#)
        return make(buffer, status: status)
    }

    /// The failure envelope: `success:false`, one error, `result:null`.
    static func failure(_ error: APIError) -> Response {
        if let detail = error.mcn { return MCNError.failure(error, detail) }
        let envelope = Envelope<Int>.failure(error.items.isEmpty ? [APIMessage(code: error.code, message: error.message)] : error.items)
        let data = (try? encoder.encode(envelope)) ?? Data(#"{"success":false,"errors":[],"messages":[],"result":null}"#.utf8)
        var response = make(ByteBuffer(bytes: data), status: error.status)
        for field in error.headers { response.headers.append(field) }
        return response
    }

    static func make(_ buffer: ByteBuffer, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: buffer)
        )
    }
}
