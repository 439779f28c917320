/// The status line and headers of an HTTP/1.x answer, and how its body is framed.
struct HTTPResponseHead: Equatable {
    enum Framing: Equatable {
        case none
        case length(Int)
        case chunked
        /// HTTP/1.0 style: the body ends when the server closes the connection.
        case untilClose
    }

    var status: Int
    var headers: [(name: String, value: String)]
    var framing: Framing
    /// False when the server said `Connection: close`, or spoke HTTP/1.0 without keep-alive.
    var keepAlive: Bool

    static func == (a: HTTPResponseHead, b: HTTPResponseHead) -> Bool {
        a.status == b.status && a.framing == b.framing && a.keepAlive == b.keepAlive
            && a.headers.map { "\($0.name):\($0.value)" } == b.headers.map { "\($0.name):\($0.value)" }
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name }?.value
    }

    /// Parses the head (without its final blank line) of an answer to `method`.
    init(parsing head: some Collection<UInt8>, method: String) throws {
        let text = String(decoding: head, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty else { throw HTTPFailure("empty answer head") }
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]), (100...999).contains(code) else {
            throw HTTPFailure("not an HTTP/1.x status line: \(statusLine.prefix(80))")
        }
        status = code
        headers = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw HTTPFailure("malformed header line: \(line.prefix(80))") }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingSpaces()))
        }
        let http10 = parts[0] == "HTTP/1.0"
        let connection = headers.first { $0.name.lowercased() == "connection" }?.value.lowercased() ?? ""
        keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close")
        let transferEncoding = headers.first { $0.name.lowercased() == "transfer-encoding" }?.value.lowercased()
        let contentLength = headers.first { $0.name.lowercased() == "content-length" }?.value
        if method == "HEAD" || code == 204 || code == 304 || code < 200 {
            framing = .none
        } else if let transferEncoding, transferEncoding.contains("chunked") {
            framing = .chunked
        } else if let contentLength {
            guard let length = Int(contentLength), length >= 0 else { throw HTTPFailure("bad Content-Length: \(contentLength)") }
            framing = length == 0 ? .none : .length(length)
        } else {
            framing = .untilClose
            keepAlive = false
        }
    }
}

/// The size line of one chunk ("1a2b;ext=1"): the size in bytes.
func chunkSize(_ line: some Collection<UInt8>) throws -> Int {
    let text = String(decoding: line, as: UTF8.self)
    let digits = text.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces() } ?? ""
    guard !digits.isEmpty, digits.count <= 15, let size = Int(digits, radix: 16), size >= 0 else {
        throw HTTPFailure("bad chunk size line: \(text.prefix(40))")
    }
    return size
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
