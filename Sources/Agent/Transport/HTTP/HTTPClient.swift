import Blocking
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The agent's HTTP: plain http:// over its own HTTP/1.1 connections (kept alive and reused), https:// through
/// libcurl loaded on first use. Every exchange runs blocking through `Blocking.run` (reused dispatch threads, none
/// created per request); the awaiting task is resumed with the answer, or with `CancellationError` within 100 ms of
/// its cancellation.
///
/// Why not URLSession: FoundationNetworking links libcurl and its whole dependency tree into the process at
/// start (about 7 MB resident of the agent's 25 MB budget, see README.md "Benchmarks"), even for an agent that only
/// ever talks plain HTTP to the mock or a lab.
public final class HTTPClient: Sendable {
    /// Idle keep-alive connections by "host:port".
    private let idle = Mutex<[String: [PlainHTTPConnectionBox]]>([:])
    /// Idle connections kept per host: the transmitter and the check-in may run at the same time (2); a fleet
    /// of virtual connectors posting side by side keeps more.
    private let maximumIdlePerHost: Int
    /// Sends every request through libcurl, http:// too (tests use it to exercise that path against the mock).
    let alwaysCurl: Bool
    /// CA certificates (PEM) libcurl trusts instead of the system's store.
    let caFile: String?
    /// Most bytes of an answer kept in memory; a larger one fails the exchange (the API's answers are small JSON).
    let answerLimit: Int

    /// 8 MiB: far above any answer of the API, far below what would hurt the agent's memory budget.
    public static let defaultAnswerLimit = 8 << 20

    public init(
        alwaysCurl: Bool = false, caFile: String? = nil, answerLimit: Int = HTTPClient.defaultAnswerLimit, maximumIdlePerHost: Int = 2
    ) {
        self.alwaysCurl = alwaysCurl
        self.maximumIdlePerHost = maximumIdlePerHost
        self.caFile = caFile
        self.answerLimit = answerLimit
    }

    /// The whole answer, kept in memory: at most `answerLimit` bytes of body, else `HTTPFailure.tooLarge`.
    public func exchange(_ request: HTTPRequest) async throws -> HTTPAnswer {
        try await Blocking.run { cancelled in try self.exchangeBlocking(request, cancelled: cancelled) }
    }

    /// The answer's body written to `path` (created 0600, replaced if there), at most `limit` bytes of it; the
    /// status. The file is removed again when the exchange fails (a body past the limit included).
    public func download(_ request: HTTPRequest, to path: String, limit: Int) async throws -> Int {
        try await Blocking.run { cancelled in
            unlink(path)
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw HTTPFailure(.system, "cannot create \(path): \(String(cString: strerror(errno)))")
            }
            defer { close(fd) }
            do {
                let target = try HTTPTarget(request.url)
                if target.secure || self.alwaysCurl {
                    return try CurlTransfer.perform(
                        request, caFile: self.caFile, limit: limit, downloadFD: fd, cancelled: cancelled
                    ).status
                }
                return try self.plainExchange(request, target: target, limit: limit, cancelled: cancelled) { piece in
                    var offset = 0
                    while offset < piece.count {
                        let written = write(fd, piece.baseAddress! + offset, piece.count - offset)
                        guard written > 0 else {
                            throw HTTPFailure(.system, "cannot write \(path): \(String(cString: strerror(errno)))")
                        }
                        offset += written
                    }
                }
            } catch {
                unlink(path)
                throw error
            }
        }
    }

    private func exchangeBlocking(_ request: HTTPRequest, cancelled: CancelFlag) throws -> HTTPAnswer {
        let target = try HTTPTarget(request.url)
        if target.secure || alwaysCurl {
            return try CurlTransfer.perform(request, caFile: caFile, limit: answerLimit, cancelled: cancelled)
        }
        var body = Data()
        let status = try plainExchange(request, target: target, limit: answerLimit, cancelled: cancelled) { piece in
            body.append(contentsOf: piece)
        }
        return HTTPAnswer(status: status, body: body)
    }

    /// One request on a pooled or new connection. A pooled connection the server closed while it was idle (it
    /// answers nothing at all) is replaced by a new one once; a failure after any answer bytes is not retried.
    private func plainExchange(
        _ request: HTTPRequest, target: HTTPTarget, limit: Int, cancelled: CancelFlag,
        body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int {
        let deadline = Deadline(secondsFromNow: request.timeout)
        let key = "\(target.host):\(target.port)"
        let head = requestHead(request, target: target)
        while true {
            let pooled = takeIdle(key)
            let connection =
                try pooled
                ?? PlainHTTPConnection.connect(
                    host: target.host, port: target.port, deadline: deadline, cancelled: cancelled)
            var sawBytes = false
            do {
                try connection.send(head, deadline: deadline, cancelled: cancelled)
                if let payload = request.body, !payload.isEmpty {
                    try connection.send(payload, deadline: deadline, cancelled: cancelled)
                }
                let (answer, reusable) = try connection.readAnswer(
                    method: request.method, limit: limit, deadline: deadline, cancelled: cancelled, sawBytes: &sawBytes,
                    body: body
                )
                if reusable { putIdle(connection, key) }
                return answer.status
            } catch {
                if pooled != nil, !sawBytes, !(error is CancellationError), !deadline.passed { continue }
                throw error
            }
        }
    }

    private func requestHead(_ request: HTTPRequest, target: HTTPTarget) -> Data {
        var head = "\(request.method) \(target.path) HTTP/1.1\r\nHost: \(target.hostHeader)\r\n"
        var hasContentType = false
        for (name, value) in request.headers {
            if name.lowercased() == "content-type" { hasContentType = true }
            head += "\(name): \(value)\r\n"
        }
        if let body = request.body {
            if !hasContentType { head += "Content-Type: application/json\r\n" }
            head += "Content-Length: \(body.count)\r\n"
        } else if ["POST", "PUT", "PATCH"].contains(request.method) {
            head += "Content-Length: 0\r\n"
        }
        head += "\r\n"
        return Data(head.utf8)
    }

    private func takeIdle(_ key: String) -> PlainHTTPConnection? {
        while let box = idle.withLock({ $0[key]?.popLast() }) {
            if box.connection.isReusable { return box.connection }
        }
        return nil
    }

    private func putIdle(_ connection: PlainHTTPConnection, _ key: String) {
        idle.withLock { pool in
            if pool[key, default: []].count < maximumIdlePerHost {
                pool[key, default: []].append(PlainHTTPConnectionBox(connection: connection))
            }
        }
    }
}

/// A connection parked in the pool; only one thread uses it at a time (taken out of the pool first).
private struct PlainHTTPConnectionBox: @unchecked Sendable {
    let connection: PlainHTTPConnection
}
