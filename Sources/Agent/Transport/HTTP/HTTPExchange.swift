import Foundation

/// One HTTP request as the agent sends it: the API's JSON calls and upgrade-bundle downloads.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    /// Extra header lines, e.g. ("Authorization", "Bearer ..."). Host, Content-Length and Connection are added.
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Seconds for the whole exchange: connect, send, and the complete answer.
    public var timeout: Double

    public init(
        method: String, url: String, headers: [(name: String, value: String)] = [], body: Data? = nil, timeout: Double
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// The status and body of an answer (the body is empty when it went to a file).
public struct HTTPAnswer: Sendable {
    public var status: Int
    public var body: Data
}

/// Why an exchange got no answer: bad URL, DNS, connect, timeout, a broken or malformed answer, libcurl. `code`
/// is for callers that act on the kind; `description` says what happened, for people.
public struct HTTPFailure: Error, CustomStringConvertible, LocalizedError {
    public enum Code: Sendable, Equatable {
        /// The URL cannot be used: not http(s), no host, a bad port.
        case invalidURL
        /// No connection: the name did not resolve, or no address accepted one.
        case cannotConnect
        /// The exchange's deadline passed.
        case timedOut
        /// The connection failed or was closed before the answer was complete.
        case connectionClosed
        /// The answer's body is larger than the client's limit.
        case tooLarge
        /// The answer is not HTTP/1.x as the client reads it.
        case malformedAnswer
        /// A local system call failed (poll, the download's file).
        case system
        /// libcurl's transfer failed (https, or every request with `alwaysCurl`); its reason is in `description`.
        case transfer
    }

    public let code: Code
    public var description: String
    public var errorDescription: String? { description }
    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}

/// The parts of an http(s) URL the transports need.
struct HTTPTarget {
    var secure: Bool
    var host: String
    var port: UInt16
    /// Path and query, "/" when empty.
    var path: String

    /// "host" or "host:port" as the Host header wants it (brackets kept for IPv6 literals).
    var hostHeader: String

    init(_ url: String) throws {
        let lowered = url.lowercased()
        if lowered.hasPrefix("http://") {
            secure = false
        } else if lowered.hasPrefix("https://") {
            secure = true
        } else {
            throw HTTPFailure(.invalidURL, "\(url) is not an http:// or https:// URL")
        }
        let rest = url.dropFirst(secure ? 8 : 7)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var remainder = String(rest[authorityEnd...])
        if let fragment = remainder.firstIndex(of: "#") { remainder = String(remainder[..<fragment]) }
        path = remainder.isEmpty ? "/" : (remainder.hasPrefix("?") ? "/" + remainder : remainder)
        guard !authority.isEmpty, !authority.contains("@") else {
            throw HTTPFailure(.invalidURL, "\(url): no host (or user info, which is not supported)")
        }
        hostHeader = String(authority)
        var hostPart = Substring(authority)
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw HTTPFailure(.invalidURL, "\(url): unterminated IPv6 literal")
            }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                portPart = after.dropFirst()
            } else if !after.isEmpty {
                throw HTTPFailure(.invalidURL, "\(url): bad authority")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        host = String(hostPart)
        if let portPart {
            guard let number = UInt16(portPart), number > 0 else {
                throw HTTPFailure(.invalidURL, "\(url): bad port \(portPart)")
            }
            port = number
        } else {
            port = secure ? 443 : 80
        }
        guard !host.isEmpty else { throw HTTPFailure(.invalidURL, "\(url): no host") }
    }
}
