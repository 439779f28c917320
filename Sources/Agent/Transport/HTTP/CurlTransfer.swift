import Blocking
import CCurl
import Foundation

/// An https (or http) exchange through libcurl, which is loaded on first use (see ccurl.h for why).
enum CurlTransfer {
    /// Blocking. The body goes into the answer, or with `downloadFD` to that file (the answer's body is then
    /// empty); either way at most `limit` bytes of it, else `HTTPFailure.tooLarge`: the shim has libcurl refuse a
    /// larger Content-Length before reading the body, and cuts a longer body without one at the limit.
    static func perform(
        _ request: HTTPRequest, caFile: String? = nil, limit: Int, downloadFD: Int32 = -1, cancelled: CancelFlag
    ) throws -> HTTPAnswer {
        var headerLines = request.headers.map { "\($0.name): \($0.value)" }
        if request.body != nil, !request.headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headerLines.append("Content-Type: application/json")
        }
        var error = [CChar](repeating: 0, count: 512)
        var answer = vc_curl_answer()
        let timeoutMS = max(1, Int(request.timeout * 1000))
        let body = request.body ?? Data()
        let status: Int32 = withCStrings(headerLines) { headers in
            body.withUnsafeBytes { raw in
                vc_curl_perform(
                    request.method, request.url, headers, headerLines.count,
                    request.body == nil ? nil : (raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)), body.count,
                    timeoutMS, caFile, downloadFD, limit, cancelled.pointer, &answer, &error, error.count
                )
            }
        }
        defer { vc_curl_answer_free(&answer) }
        if cancelled.isSet { throw CancellationError() }
        if answer.too_large != 0 {
            throw HTTPFailure.tooLarge(
                bytes: answer.announced_length > limit ? Int(answer.announced_length) : nil, limit: limit)
        }
        guard status == 0 else {
            throw HTTPFailure(
                .transfer,
                "\(request.method) \(request.url): \(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))"
            )
        }
        let data = answer.body.map { Data(bytes: $0, count: answer.body_length) } ?? Data()
        return HTTPAnswer(status: answer.status, body: data)
    }

    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress ?? UnsafePointer(bitPattern: 8)!) }
    }
}
