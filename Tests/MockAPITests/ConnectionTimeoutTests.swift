#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import MockAPI
import Testing

/// Slow and half-sent requests over real loopback sockets: they must neither hold the server nor stay open. (The
/// 1,500-connection slowloris is in CLITests: its sockets must not live in this process.)
@Suite("Connection timeouts", .serialized)
struct ConnectionTimeoutTests {
    @Test("a body that stops half-way is dropped after the idle timeout; a complete head is not cut by the header timeout")
    func halfSentBody() async throws {
        let server = try await TestServer.start(idleTimeout: 2, headerTimeout: 1)
        let port = server.port
        let (openPastHeaderTimeout, closedAfter) = try await RawSocket.onThread { () -> (Bool, Double?) in
            let fd = try RawSocket.connect(port: port)
            defer { close(fd) }
            let start = Date()
            try RawSocket.send(fd, "POST /client/v4/accounts/\(TestServer.account)/magic/connectors HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer \(TestServer.writeToken)\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"device\"")
            Thread.sleep(forTimeInterval: 1.5)
            let open = !RawSocket.isClosedByPeer(fd)
            let remaining = RawSocket.waitUntilClosed([fd], deadline: start.addingTimeInterval(10))
            return (open, remaining.isEmpty ? Date().timeIntervalSince(start) : nil)
        }
        #expect(openPastHeaderTimeout, "a connection whose head was complete was closed by the header timeout")
        let seconds = try #require(closedAfter, "a half-sent body kept its connection open for 10 s")
        #expect(seconds >= 1.8 && seconds < 6, "closed after \(seconds) s; the idle timeout is 2 s")
        #expect(try await server.client.get(Paths.connectors).status == 200)
        await server.stop()
    }

    @Test("a body that trickles in a byte at a time, never idle, is dropped after the body timeout")
    func slowBody() async throws {
        let server = try await TestServer.start(idleTimeout: 2, headerTimeout: 1, bodyTimeout: 2)
        let port = server.port
        let closedAfter = try await RawSocket.onThread { () -> Double? in
            let fd = try RawSocket.connect(port: port)
            defer { close(fd) }
            let start = Date()
            try RawSocket.send(fd, "POST /client/v4/accounts/\(TestServer.account)/magic/connectors HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer \(TestServer.writeToken)\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
            // One byte every 0.3 s: never idle for the 2 s idle timeout, so only the body deadline can end it.
            while Date().timeIntervalSince(start) < 8 {
                if RawSocket.isClosedByPeer(fd) { return Date().timeIntervalSince(start) }
                if (try? RawSocket.send(fd, " ")) == nil { return Date().timeIntervalSince(start) }
                Thread.sleep(forTimeInterval: 0.3)
            }
            return nil
        }
        let seconds = try #require(closedAfter, "a trickling body kept its connection open for 8 s")
        #expect(seconds >= 1.8 && seconds < 5, "closed after \(seconds) s; the body timeout is 2 s")
        await server.stop()
    }

    @Test("a kept-alive connection serves requests past the header timeout; half a later head is closed after the idle timeout")
    func keepAlive() async throws {
        let server = try await TestServer.start(idleTimeout: 2, headerTimeout: 1)
        let port = server.port
        let (openBetween, closedAfter) = try await RawSocket.onThread { () -> (Bool, Double?) in
            let fd = try RawSocket.connect(port: port)
            defer { close(fd) }
            let request = "GET /client/v4/accounts/\(TestServer.account)/magic/connectors HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(TestServer.writeToken)\r\n\r\n"
            try RawSocket.send(fd, request)
            Thread.sleep(forTimeInterval: 1.3)
            let first = !RawSocket.isClosedByPeer(fd)
            try RawSocket.send(fd, request)
            let last = Date()
            Thread.sleep(forTimeInterval: 0.2)
            let second = !RawSocket.isClosedByPeer(fd)
            try RawSocket.send(fd, "GET /client/v4/acc")  // half of a third head: only the idle timeout ends it
            let remaining = RawSocket.waitUntilClosed([fd], deadline: last.addingTimeInterval(10))
            return (first && second, remaining.isEmpty ? Date().timeIntervalSince(last) : nil)
        }
        #expect(openBetween, "the kept-alive connection was closed before the idle timeout")
        let seconds = try #require(closedAfter, "an idle kept-alive connection stayed open for 10 s")
        #expect(seconds >= 1.7 && seconds < 6, "closed \(seconds) s after the last request; the idle timeout is 2 s")
        await server.stop()
    }
}
