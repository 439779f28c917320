import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP server that answers each HTTP request it reads with the raw bytes `answer` returns for it:
/// lets tests send what a well-behaved mock never does (chunked bodies, closes, silence). Counts connections.
final class ScriptedHTTPServer: @unchecked Sendable {
    /// What the server does with one request (its head and body, as text).
    enum Reply {
        case send(String)
        /// Sends this, then closes the connection.
        case sendAndClose(String)
        /// Closes the connection without answering.
        case close
        /// Never answers (until the server stops).
        case silence
        /// Sends `head`, then `piece` again and again until the client goes away or the server stops: a body
        /// without end.
        case endless(head: String, piece: String)
    }

    let port: UInt16
    private let listener: Int32
    private let answer: @Sendable (_ request: String, _ index: Int) -> Reply
    private let state = Mutex<(connections: Int, requests: [String], clients: [Int32], stopped: Bool)>((0, [], [], false))

    var connections: Int { state.withLock { $0.connections } }
    var requests: [String] { state.withLock { $0.requests } }

    init(answer: @escaping @Sendable (_ request: String, _ index: Int) -> Reply) throws {
        self.answer = answer
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.listener = listener
        var on: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Refuses new connections and ends every open one. The listener is closed by the accept loop once accept()
    /// fails, and each connection by its own thread, so that no file descriptor number is reused while a
    /// thread here still holds it (in a test process where other tests open sockets all the time).
    func stop() {
        state.withLock { state in
            state.stopped = true
            state.clients.forEach { shutdown($0, Int32(SHUT_RDWR)) }
        }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                close(listener)
                return
            }
            // A process another test spawns must not inherit (and so keep open) a connection; a spawn between
            // accept and this line is covered by the shutdown before each close.
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let stopped = state.withLock { state in
                state.connections += 1
                state.clients.append(client)
                return state.stopped
            }
            if stopped {
                state.withLock { state in
                    state.clients.removeAll { $0 == client }
                    close(client)
                }
                close(listener)
                return
            }
            Thread.detachNewThread { [self] in serve(client) }
        }
    }

    private func serve(_ client: Int32) {
        defer {
            state.withLock { state in
                state.clients.removeAll { $0 == client }
                shutdown(client, Int32(SHUT_RDWR))
                close(client)
            }
        }
        var pending = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            // One request: the head, then Content-Length bytes of body.
            var request: String?
            while request == nil {
                if let end = pending.firstRange(of: [13, 10, 13, 10]) {
                    let head = String(decoding: pending[..<end.upperBound], as: UTF8.self)
                    let length = head.split(separator: "\r\n").compactMap { line -> Int? in
                        let parts = line.split(separator: ":", maxSplits: 1)
                        return parts.count == 2 && parts[0].lowercased() == "content-length" ? Int(parts[1].trimmingCharacters(in: .whitespaces)) : nil
                    }.first ?? 0
                    if pending.count >= end.upperBound + length {
                        request = String(decoding: pending[..<(end.upperBound + length)], as: UTF8.self)
                        pending.removeFirst(end.upperBound + length)
                        break
                    }
                }
                let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { return }
                pending.append(contentsOf: chunk[0..<count])
            }
            guard let request else { return }
            let index = state.withLock { state in
                state.requests.append(request)
                return state.requests.count - 1
            }
            switch answer(request, index) {
            case .send(let text):
                guard write(client, text) else { return }
            case .sendAndClose(let text):
                _ = write(client, text)
                return
            case .close:
                return
            case .silence:
                while recv(client, &chunk, chunk.count, 0) > 0 {}
                return
            case .endless(let head, let piece):
                guard write(client, head) else { return }
                while !state.withLock({ $0.stopped }), write(client, piece) {}
                return
            }
        }
    }

    private func write(_ client: Int32, _ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}
