import Foundation
import Netlink
import Testing
import TestSupport

@Suite("Netlink over libnl", .serialized)
struct RouteSocketTests {
    @Test("the host namespace has lo, up, with 127.0.0.1/8")
    func loopback() throws {
        let socket = try RouteSocket()
        let lo = try #require(try socket.links().first { $0.name == "lo" })
        #expect(lo.isUp)
        #expect(lo.index == 1)
        let addresses = try socket.addresses().filter { $0.interfaceIndex == lo.index }
        #expect(addresses.contains { $0.cidr == "127.0.0.1/8" })
        #expect(socket.speedBitsPerSecond(of: "lo") == nil)
    }

    @Test("a socket opened on a namespace thread sees that namespace's links only", .enabled(if: TestNamespace.isAvailable))
    func namespaceThread() throws {
        let namespace = try TestNamespace("nl")
        defer { namespace.remove() }
        try namespace.ip(["link", "add", "vctA", "type", "veth", "peer", "name", "vctB"])
        try namespace.ip(["addr", "add", "198.51.100.1/24", "dev", "vctA"])
        try namespace.ip(["link", "set", "vctA", "up"])
        try namespace.ip(["link", "set", "vctB", "up"])

        let thread = try NamespaceThread(namespace: namespace.name)
        defer { thread.stop() }
        let socket = try thread.run { try RouteSocket() }
        // Used from this (other) thread: the socket keeps the namespace it was opened in. The kernel sets a veth's
        // operstate UP asynchronously (linkwatch) once its peer is up: under load that takes a moment.
        var links = try socket.links()
        for _ in 0..<40 where links.first(where: { $0.name == "vctA" })?.operState != "UP" {
            usleep(50_000)
            links = try socket.links()
        }
        #expect(Set(links.map(\.name)) == ["lo", "vctA", "vctB"])
        let vctA = try #require(links.first { $0.name == "vctA" })
        #expect(vctA.kind == "veth")
        #expect(vctA.operState == "UP")
        #expect(try socket.addresses().contains { $0.cidr == "198.51.100.1/24" && $0.interfaceIndex == vctA.index })
        #expect(socket.speedBitsPerSecond(of: "vctA") == 10_000_000_000)
        // The host is untouched.
        #expect(try RouteSocket().links().contains { $0.name == "vctA" } == false)
    }

    @Test("a namespace that does not exist is a clear error")
    func missingNamespace() {
        #expect {
            _ = try NamespaceThread(namespace: "vct-missing-\(UInt32.random(in: 0...UInt32.max))")
        } throws: { error in
            "\(error)".contains("No such file or directory") && "\(error)".contains("ip netns list")
        }
    }
}
