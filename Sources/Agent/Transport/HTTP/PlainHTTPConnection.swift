import Blocking
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.1 connection over TCP: connect with a deadline, send a request, read one answer. Blocking, on the
/// calling thread; every wait is a poll() of at most 100 ms so that a cancellation is seen within that time.
/// `package`: the benchmarks' load generator uses it too, so the package has one HTTP/1.1 client.
package final class PlainHTTPConnection {
    let fd: Int32
    /// Bytes read past the end of the previous answer (none with a well-behaved server, kept anyway).
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where recv() writes before the bytes join `buffer` (kept, so a read allocates nothing).
    private var chunk = [UInt8](repeating: 0, count: 65_536)

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// Connects to the first address of `host` that answers before the deadline.
    package static func connect(host: String, port: UInt16, deadline: Deadline, cancelled: CancelFlag) throws
        -> PlainHTTPConnection
    {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let list else {
            throw HTTPFailure(.cannotConnect, "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let address = entry {
            entry = address.pointee.ai_next
            let fd = socket(
                address.pointee.ai_family,
                Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else {
                lastError = String(cString: strerror(errno))
                continue
            }
            let connection = PlainHTTPConnection(fd: fd)
            if Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                return connection.configured()
            }
            guard errno == EINPROGRESS else {
                lastError = String(cString: strerror(errno))
                continue
            }
            do {
                try connection.wait(
                    for: Int16(POLLOUT), deadline: deadline, cancelled: cancelled, doing: "connect to \(host):\(port)")
            } catch {
                lastError = "\(error)"
                if error is CancellationError || deadline.passed { throw error }
                continue
            }
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length)
            if socketError == 0 { return connection.configured() }
            lastError = String(cString: strerror(socketError))
        }
        throw HTTPFailure(.cannotConnect, "cannot connect to \(host):\(port): \(lastError)")
    }

    private func configured() -> PlainHTTPConnection {
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        return self
    }

    /// True when an idle pooled connection can still be used: nothing to read (a close or stray bytes would be).
    var isReusable: Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) == 0
    }

    /// Sends all of `bytes`.
    package func send(_ bytes: Data, deadline: Deadline, cancelled: CancelFlag) throws {
        try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EAGAIN || errno == EINTR {
                    try wait(for: Int16(POLLOUT), deadline: deadline, cancelled: cancelled, doing: "send")
                } else {
                    throw HTTPFailure(.connectionClosed, "send failed: \(String(cString: strerror(errno)))")
                }
            }
        }
    }

    /// Reads one answer; the body goes to `body` piece by piece, at most `limit` bytes of it (a larger
    /// Content-Length or chunk size is refused before any of it is read). Returns the head, and whether the connection
    /// can carry another request. `sawBytes` tells a caller that the server sent nothing at all (a closed idle
    /// connection, safe to retry) apart from a failure mid-answer.
    package func readAnswer(
        method: String, limit: Int, deadline: Deadline, cancelled: CancelFlag, sawBytes: inout Bool,
        body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> (head: HTTPResponseHead, reusable: Bool) {
        var bound = BodyLimit(limit)
        var head: HTTPResponseHead
        repeat {
            let headBytes = try readThrough(
                terminator: [13, 10, 13, 10], limit: 65_536, deadline: deadline, cancelled: cancelled,
                sawBytes: &sawBytes)
            head = try HTTPResponseHead(parsing: headBytes.dropLast(4), method: method)
        } while head.status >= 100 && head.status < 200  // 100 Continue and other interim answers
        switch head.framing {
        case .none:
            break
        case .length(let length):
            try bound.checkAnnounced(length)
            try copy(length, to: body, deadline: deadline, cancelled: cancelled)
        case .chunked:
            while true {
                let line = try readThrough(
                    terminator: [13, 10], limit: 1024, deadline: deadline, cancelled: cancelled, sawBytes: &sawBytes)
                let size = try chunkSize(line.dropLast(2))
                if size == 0 {
                    // Trailer fields, if any, up to the blank line.
                    while try readThrough(
                        terminator: [13, 10], limit: 8192, deadline: deadline, cancelled: cancelled, sawBytes: &sawBytes
                    ).count > 2 {}
                    break
                }
                try bound.checkAnnounced(size)
                try bound.count(size)
                try copy(size, to: body, deadline: deadline, cancelled: cancelled)
                let end = try readThrough(
                    terminator: [13, 10], limit: 2, deadline: deadline, cancelled: cancelled, sawBytes: &sawBytes)
                guard end.count == 2 else { throw HTTPFailure(.malformedAnswer, "chunk not followed by CRLF") }
            }
        case .untilClose:
            while try fill(deadline: deadline, cancelled: cancelled) {
                try bound.count(available)
                try deliver(available, to: body)
            }
            try bound.count(available)
            try deliver(available, to: body)
        }
        return (head, head.keepAlive && head.framing != .untilClose)
    }

    private var available: Int { buffer.count - start }

    private func deliver(_ count: Int, to body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard count > 0 else { return }
        try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<start + count])) }
        consume(count)
    }

    private func consume(_ count: Int) {
        start += count
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
    }

    private func copy(
        _ length: Int, to body: (UnsafeRawBufferPointer) throws -> Void, deadline: Deadline, cancelled: CancelFlag
    ) throws {
        var remaining = length
        while remaining > 0 {
            if available == 0, try !fill(deadline: deadline, cancelled: cancelled) {
                throw HTTPFailure(
                    .connectionClosed, "connection closed \(remaining) bytes before the end of the answer")
            }
            let piece = min(remaining, available)
            try deliver(piece, to: body)
            remaining -= piece
        }
    }

    /// The bytes up to and including `terminator`, consumed from the connection.
    private func readThrough(
        terminator: [UInt8], limit: Int, deadline: Deadline, cancelled: CancelFlag, sawBytes: inout Bool
    ) throws -> [UInt8] {
        var searchFrom = start
        while true {
            if let end = find(terminator, from: searchFrom) {
                let line = Array(buffer[start..<end + terminator.count])
                consume(end + terminator.count - start)
                return line
            }
            guard available <= limit else {
                throw HTTPFailure(.malformedAnswer, "answer line longer than \(limit) bytes")
            }
            searchFrom = max(start, buffer.count - terminator.count + 1)
            guard try fill(deadline: deadline, cancelled: cancelled) else {
                throw HTTPFailure(
                    .connectionClosed,
                    available == 0 && !sawBytes ? "connection closed before an answer" : "connection closed mid-answer")
            }
            sawBytes = true
        }
    }

    private func find(_ terminator: [UInt8], from: Int) -> Int? {
        guard buffer.count >= terminator.count else { return nil }
        var index = from
        while index + terminator.count <= buffer.count {
            if buffer[index] == terminator[0] && buffer[index..<index + terminator.count].elementsEqual(terminator) {
                return index
            }
            index += 1
        }
        return nil
    }

    /// Reads what is there (waiting for it); false at end of stream.
    private func fill(deadline: Deadline, cancelled: CancelFlag) throws -> Bool {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return true
            }
            if count == 0 { return false }
            guard errno == EAGAIN || errno == EINTR else {
                throw HTTPFailure(.connectionClosed, "receive failed: \(String(cString: strerror(errno)))")
            }
            try wait(for: Int16(POLLIN), deadline: deadline, cancelled: cancelled, doing: "answer")
        }
    }

    /// Waits for `events` in slices of at most 100 ms, checking the deadline and cancellation between them.
    private func wait(for events: Int16, deadline: Deadline, cancelled: CancelFlag, doing: String) throws {
        while true {
            if cancelled.isSet { throw CancellationError() }
            let remaining = deadline.remainingMilliseconds
            guard remaining > 0 else { throw HTTPFailure(.timedOut, "timed out waiting for \(doing)") }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(remaining, 100)))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR {
                throw HTTPFailure(.system, "poll failed: \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// A point in monotonic time by which an exchange must be over.
package struct Deadline {
    let nanoseconds: UInt64

    package init(secondsFromNow seconds: Double) {
        nanoseconds = Deadline.now + UInt64(max(0, seconds) * 1e9)
    }

    static var now: UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    var remainingMilliseconds: Int {
        let current = Deadline.now
        return current >= nanoseconds ? 0 : Int((nanoseconds - current) / 1_000_000) + 1
    }

    var passed: Bool { Deadline.now >= nanoseconds }
}
