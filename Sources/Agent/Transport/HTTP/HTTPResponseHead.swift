import ConnectorAPI

/// The status line and headers of an HTTP/1.x answer, and how its body is framed.
package struct HTTPResponseHead {
    enum Framing: Equatable {
        case none
        case length(Int)
        case chunked
        /// HTTP/1.0 style: the body ends when the server closes the connection.
        case untilClose
    }

    package var status: Int
    var headers: [(name: String, value: String)]
    var framing: Framing
    /// False when the server said `Connection: close`, or spoke HTTP/1.0 without keep-alive.
    var keepAlive: Bool

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name }?.value
    }

    /// Parses the head (without its final blank line) of an answer to `method`. Works on the bytes: splitting
    /// a String at "\r\n" walks grapheme clusters and cost more than the rest of an exchange.
    init(parsing head: some Collection<UInt8>, method: String) throws {
        let bytes = Array(head)
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = 0
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == 13 && bytes[index + 1] == 10 {
                lines.append(bytes[lineStart..<index])
                index += 2
                lineStart = index
            } else {
                index += 1
            }
        }
        lines.append(bytes[lineStart..<bytes.count])
        let statusLine = String(decoding: lines.removeFirst(), as: UTF8.self)
        guard !statusLine.isEmpty else { throw HTTPFailure(.malformedAnswer, "empty answer head") }
        let parts = statusLine.utf8.split(separator: UInt8(ascii: " "), maxSplits: 2)
        guard parts.count >= 2, parts[0].starts(with: "HTTP/1.".utf8),
            let code = Int(String(decoding: parts[1], as: UTF8.self)), (100...999).contains(code)
        else {
            throw HTTPFailure(
                .malformedAnswer, "not an HTTP/1.x status line: \(TextRules.printable(statusLine, limit: 80))")
        }
        status = code
        headers = []
        var connection = "", transferEncoding: String?, contentLength: String?
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                throw HTTPFailure(
                    .malformedAnswer,
                    "malformed header line: \(TextRules.printable(String(decoding: line.prefix(80), as: UTF8.self)))")
            }
            let name = String(decoding: line[..<colon], as: UTF8.self)
            var value = line[(colon + 1)...]
            while let first = value.first, first == 32 || first == 9 { value = value.dropFirst() }
            while let last = value.last, last == 32 || last == 9 { value = value.dropLast() }
            let text = String(decoding: value, as: UTF8.self)
            headers.append((name, text))
            switch name.lowercased() {
            case "connection": connection = text.lowercased()
            case "transfer-encoding": transferEncoding = text.lowercased()
            case "content-length": contentLength = text
            default: break
            }
        }
        let http10 = parts[0].elementsEqual("HTTP/1.0".utf8)
        keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close")
        if method == "HEAD" || code == 204 || code == 304 || code < 200 {
            framing = .none
        } else if let transferEncoding, transferEncoding.contains("chunked") {
            framing = .chunked
        } else if let contentLength {
            guard let length = Int(contentLength), length >= 0 else {
                throw HTTPFailure(
                    .malformedAnswer, "bad Content-Length: \(TextRules.printable(contentLength, limit: 40))")
            }
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
        throw HTTPFailure(.malformedAnswer, "bad chunk size line: \(TextRules.printable(text, limit: 40))")
    }
    return size
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
