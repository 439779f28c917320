import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Serves `GET /metrics` for `--metrics-listen` with plain blocking sockets on one thread of its own: the
/// deployable agent links no NIO or HTTP server. It is bounded so a scraper (or anything else that connects)
/// cannot hold it or grow it: one connection at a time, a request head of at most 8 KiB read within 5 s, writes
/// that give up after 5 s, one request per connection, and nothing read but the request line and headers.
public final class MetricsListener: Sendable {
    public struct ListenError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The port actually bound (useful with port 0).
    public let port: Int
    private let socket: Int32
    private let render: @Sendable () -> [UInt8]
    static let maxHead = 8 * 1024
    static let timeoutSeconds = 5

    /// Binds `address` (`HOST:PORT`, `[IPv6]:PORT` or `:PORT` for every address) and starts serving.
    public init(address: String, render: @escaping @Sendable () -> [UInt8]) throws {
        let (host, service) = try Self.split(address)
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var info: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, service, &hints, &info)
        guard status == 0, let first = info else {
            throw ListenError(description: "--metrics-listen \(address): not a numeric address and port (\(String(cString: gai_strerror(status))))")
        }
        defer { freeaddrinfo(info) }
        let fd = Glibc.socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ListenError(description: "--metrics-listen: socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw ListenError(description: "--metrics-listen \(address): cannot listen: \(reason)")
        }
        var bound = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = Self.port(of: bound)
        socket = fd
        self.render = render
        let thread = Thread { [self] in self.serve() }
        thread.name = "metrics-listener"
        thread.start()
    }

    /// Stops accepting; the serving thread ends.
    public func close() {
        shutdown(socket, Int32(SHUT_RDWR))
        Glibc.close(socket)
    }

    private func serve() {
        while true {
            let client = accept(socket, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE { continue }
                return
            }
            // Not inherited by what the agent spawns (dnsmasq, charon...).
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            handle(client)
            drain(client)
            Glibc.close(client)
        }
    }

    private func handle(_ client: Int32) {
        var timeout = timeval(tv_sec: Self.timeoutSeconds, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let deadline = ContinuousClock.now + .seconds(Self.timeoutSeconds)
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while Self.headEnd(head) == nil {
            guard head.count < Self.maxHead else { return respond(client, status: "431 Request Header Fields Too Large", body: Array("request head too large\n".utf8)) }
            guard ContinuousClock.now < deadline else { return respond(client, status: "408 Request Timeout", body: Array("request head too slow\n".utf8)) }
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return }
            head.append(contentsOf: buffer[0..<count])
        }
        let line = head.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }
        let parts = line.split(separator: UInt8(ascii: " "))
        guard parts.count == 3, parts[2].starts(with: Array("HTTP/1.".utf8)) else {
            return respond(client, status: "400 Bad Request", body: Array("not an HTTP/1 request\n".utf8))
        }
        let method = String(decoding: parts[0], as: UTF8.self)
        let target = String(decoding: parts[1], as: UTF8.self)
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? target
        guard path == "/metrics" else { return respond(client, status: "404 Not Found", body: Array("only /metrics is served here\n".utf8)) }
        guard method == "GET" || method == "HEAD" else {
            return respond(client, status: "405 Method Not Allowed", body: Array("use GET\n".utf8), extra: "Allow: GET, HEAD\r\n")
        }
        let body = render()
        respond(client, status: "200 OK", body: body, type: "text/plain; version=0.0.4; charset=utf-8", headOnly: method == "HEAD")
    }

    private func respond(_ client: Int32, status: String, body: [UInt8], type: String = "text/plain; charset=utf-8", extra: String = "", headOnly: Bool = false) {
        let head = "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\n\(extra)Connection: close\r\n\r\n"
        var bytes = Array(head.utf8)
        if !headOnly { bytes += body }
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    /// Reads (and drops) what the client still sends, at most 64 KiB for at most a second, so closing does not reset
    /// the connection before the client read the answer (a refused oversized head, say).
    private func drain(_ client: Int32) {
        shutdown(client, Int32(SHUT_WR))
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        var total = 0
        while total < 64 * 1024 {
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return }
            total += count
        }
    }

    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// `HOST:PORT`, `[V6]:PORT` or `:PORT` into getaddrinfo's host (nil: every address) and service.
    static func split(_ address: String) throws -> (String?, String) {
        guard let colon = address.lastIndex(of: ":"), !address[address.index(after: colon)...].isEmpty,
            address[address.index(after: colon)...].allSatisfy(\.isNumber)
        else {
            throw ListenError(description: "--metrics-listen '\(address)': expected HOST:PORT, [IPv6]:PORT or :PORT")
        }
        // getaddrinfo wraps a port past 65535 instead of refusing it.
        guard let port = Int(address[address.index(after: colon)...]), (0...65535).contains(port) else {
            throw ListenError(description: "--metrics-listen '\(address)': the port must be 0 to 65535")
        }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? nil : host, String(address[address.index(after: colon)...]))
    }

    static func port(of storage: sockaddr_storage) -> Int {
        var storage = storage
        return withUnsafePointer(to: &storage) { pointer in
            switch Int32(pointer.pointee.ss_family) {
            case AF_INET: return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            case AF_INET6: return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            default: return 0
            }
        }
    }
}
