import ConnectorAPI
import Foundation
import Netlink
import Synchronization

/// Bulk TCP between two namespaces for a fixed time: a receiver that counts bytes, a sender that writes 64 KiB
/// buffers as fast as the path takes them. Sockets are made on threads inside each namespace and used from here.
enum TCPThroughput {
    static let port: UInt16 = 5201
    static let duration: Duration = .seconds(2)

    /// Megabits per second received, from `source`'s namespace to `destination` (in `receiverNamespace`).
    static func measure(from source: String, to destination: IPv4Address, receiverNamespace: String) throws -> Double {
        let listener = try socket(in: receiverNamespace)
        defer { close(listener) }
        var reuse: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var any = address(IPv4Address(value: 0), port)
        guard withUnsafePointer(to: &any, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }) == 0,
            listen(listener, 1) == 0 else { throw BenchmarkFailure("listen in \(receiverNamespace): \(String(cString: strerror(errno)))") }
        let sender = try socket(in: source)
        defer { close(sender) }
        var target = address(destination, port)
        guard withUnsafePointer(to: &target, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(sender, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }) == 0 else {
            throw BenchmarkFailure("connect to \(destination): \(String(cString: strerror(errno)))")
        }
        let receiver = accept(listener, nil, nil)
        guard receiver >= 0 else { throw BenchmarkFailure("accept: \(String(cString: strerror(errno)))") }
        let received = Mutex(0)
        let done = DispatchSemaphore(value: 0)
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = read(receiver, &buffer, buffer.count)
                if count <= 0 { break }
                received.withLock { $0 += count }
            }
            close(receiver)
            done.signal()
        }
        reader.start()
        let chunk = [UInt8](repeating: 0x5a, count: 1 << 16)
        let started = ContinuousClock.now
        var countedFrom = 0
        while ContinuousClock.now - started < duration {
            if write(sender, chunk, chunk.count) <= 0 { break }
        }
        let elapsed = (ContinuousClock.now - started).seconds
        countedFrom = received.withLock { $0 }
        shutdown(sender, Int32(SHUT_WR))
        done.wait()
        return (Double(countedFrom) * 8 / 1e6 / elapsed * 10).rounded() / 10
    }

    private static func socket(in namespace: String) throws -> Int32 {
        let thread = try NamespaceThread(namespace: namespace)
        defer { thread.stop() }
        let descriptor = try thread.run { Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        guard descriptor >= 0 else { throw BenchmarkFailure("socket in \(namespace): \(String(cString: strerror(errno)))") }
        return descriptor
    }

    private static func address(_ address: IPv4Address, _ port: UInt16) -> sockaddr_in {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        socketAddress.sin_addr.s_addr = address.value.bigEndian
        return socketAddress
    }
}
