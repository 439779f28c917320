import Foundation
import Netlink

/// TCP sockets created inside a network namespace (a socket stays in the namespace it was created in),
/// so tests can check what crosses the lab: who can connect to whom, and with which source address.
enum NamespaceSockets {
    /// A listening socket on `address:port` inside `namespace`.
    static func listen(in namespace: String, address: String, port: UInt16) throws -> Int32 {
        let thread = try NamespaceThread(namespace: namespace)
        defer { thread.stop() }
        return try thread.run {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var yes: Int32 = 1
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
            var socketAddress = try Self.socketAddress(address, port)
            let bound = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0, Glibc.listen(descriptor, 8) == 0 else {
                let code = errno
                close(descriptor)
                throw SocketError(
                    description: "listen on \(address):\(port) in \(namespace): \(String(cString: strerror(code)))")
            }
            return descriptor
        }
    }

    /// Connects from inside `namespace` to `address:port`; true when the connection was established in time.
    static func connect(from namespace: String, to address: String, port: UInt16, timeout: Double = 2) throws -> Bool {
        let thread = try NamespaceThread(namespace: namespace)
        defer { thread.stop() }
        let descriptor = try thread.run {
            socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        }
        defer { close(descriptor) }
        var socketAddress = try socketAddress(address, port)
        let result = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        guard poll(&entry, 1, Int32(timeout * 1000)) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0
    }

    /// Accepts one connection within `timeout` and returns the peer's address as the listener saw it.
    static func acceptPeer(_ listener: Int32, timeout: Double = 2) -> String? {
        var entry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, Int32(timeout * 1000)) == 1 else { return nil }
        var peer = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let connection = withUnsafeMutablePointer(to: &peer) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener, $0, &length) }
        }
        guard connection >= 0 else { return nil }
        close(connection)
        var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        var address = peer.sin_addr
        inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func socketAddress(_ address: String, _ port: UInt16) throws -> sockaddr_in {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else {
            throw SocketError(description: "bad address \(address)")
        }
        return socketAddress
    }
}

struct SocketError: Error, CustomStringConvertible {
    let description: String
}
