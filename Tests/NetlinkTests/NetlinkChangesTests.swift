import Netlink
import TestSupport
import Testing

/// Links, addresses, routes and nft rulesets changed through the library in a namespace made for the test
/// (removed even when a test fails), and read back over netlink.
@Suite("Netlink changes: links, addresses, routes, nftables", .serialized, .enabled(if: TestNamespace.isAvailable))
struct NetlinkChangesTests {
    /// A fresh namespace with a socket opened inside it.
    static func namespace(_ tag: String) throws -> (TestNamespace, NamespaceThread, RouteSocket) {
        let namespace = try TestNamespace(tag)
        let thread = try NamespaceThread(namespace: namespace.name)
        return (namespace, thread, try thread.run { try RouteSocket() })
    }

    static func isAlreadyExists(_ error: any Error) -> Bool { (error as? NetlinkError)?.isAlreadyExists == true }

    @Test("a bridge and a veth pair, marked, up and enslaved; EEXIST is told apart; deleting twice is fine")
    func links() throws {
        let (namespace, thread, socket) = try Self.namespace("nlc-link")
        defer {
            thread.stop()
            namespace.remove()
        }
        try socket.createBridge(name: "vctbr0", alias: "vct-bridge")
        #expect(throws: NetlinkError.self) { try socket.createBridge(name: "vctbr0", alias: "vct-bridge") }
        #expect { try socket.createBridge(name: "vctbr0", alias: "x") } throws: { Self.isAlreadyExists($0) }
        try socket.createVeth(
            name: "vctA", alias: "vct-a", peerName: "vctB", peerAlias: "vct-b", peerMAC: "02:00:00:00:00:0b")
        // The kernel ignores an alias given at creation: setUp writes the mark.
        try socket.setUp("vctbr0", alias: "vct-bridge")
        try socket.setUp("vctA", master: "vctbr0", alias: "vct-a-up")
        let links = try socket.links()
        let bridge = try #require(links.first { $0.name == "vctbr0" })
        let a = try #require(links.first { $0.name == "vctA" })
        let b = try #require(links.first { $0.name == "vctB" })
        #expect(bridge.kind == "bridge" && bridge.alias == "vct-bridge" && bridge.isUp, "\(bridge)")
        #expect(a.kind == "veth" && a.isUp && a.masterIndex == bridge.index && a.alias == "vct-a-up")
        #expect(b.alias == nil && b.macAddress == "02:00:00:00:00:0b" && !b.isUp, "\(b)")
        #expect(throws: NetlinkError.self) { try socket.setUp("vct-none") }
        try socket.deleteLink("vctA")
        #expect(try socket.links().map(\.name).sorted() == ["lo", "vctbr0"], "the peer goes with it")
        try socket.deleteLink("vctA")
    }

    @Test("addresses: added with their broadcast, EEXIST told apart, deleted (twice is fine)")
    func addresses() throws {
        let (namespace, thread, socket) = try Self.namespace("nlc-addr")
        defer {
            thread.stop()
            namespace.remove()
        }
        try socket.createBridge(name: "vctbr0", alias: "vct")
        try socket.addAddress("198.51.100.1/24", to: "vctbr0")
        #expect { try socket.addAddress("198.51.100.1/24", to: "vctbr0") } throws: { Self.isAlreadyExists($0) }
        let index = try #require(try socket.links().first { $0.name == "vctbr0" }).index
        #expect(try socket.addresses().contains { $0.cidr == "198.51.100.1/24" && $0.interfaceIndex == index })
        #expect(
            try TestNamespace.ip(["-n", namespace.name, "-4", "addr", "show", "dev", "vctbr0"]).contains(
                "brd 198.51.100.255"))
        try socket.deleteAddress("198.51.100.1/24", from: "vctbr0")
        try socket.deleteAddress("198.51.100.1/24", from: "vctbr0")
        #expect(try !socket.addresses().contains { $0.interfaceIndex == index })
        #expect(throws: NetlinkError.self) { try socket.addAddress("not-an-address", to: "vctbr0") }
    }

    @Test("routes: one hop and ECMP, read back as written with our protocol mark; deleted (twice is fine)")
    func routes() throws {
        let (namespace, thread, socket) = try Self.namespace("nlc-route")
        defer {
            thread.stop()
            namespace.remove()
        }
        for (link, cidr) in [("vctbr0", "198.51.100.1/24"), ("vctbr1", "203.0.113.1/24")] {
            try socket.createBridge(name: link, alias: "vct")
            try socket.setUp(link)
            try socket.addAddress(cidr, to: link)
        }
        let single = Route(
            destination: "192.0.2.0/24", metric: 50, nextHops: [NextHop(gateway: "198.51.100.2", interface: "vctbr0")])
        let ecmp = Route(
            destination: "0.0.0.0/0", metric: 10,
            nextHops: [
                NextHop(gateway: "203.0.113.2", interface: "vctbr1"),
                NextHop(gateway: "198.51.100.2", interface: "vctbr0"),
            ])
        try socket.addRoute(single)
        try socket.addRoute(ecmp)
        #expect { try socket.addRoute(single) } throws: { Self.isAlreadyExists($0) }
        let ours = try socket.routes().filter { $0.protocolID == Route.vconnectorProtocol }
        #expect(ours.count == 2 && ours.contains(single) && ours.contains(ecmp))
        try socket.deleteRoute(ecmp)
        try socket.deleteRoute(ecmp)
        #expect(try socket.routes().filter { $0.protocolID == Route.vconnectorProtocol } == [single])
    }

    @Test("nftables: one buffer is one transaction; a bad line applies nothing and says why; JSON reads")
    func nftables() throws {
        let (namespace, thread, _) = try Self.namespace("nlc-nft")
        defer {
            thread.stop()
            namespace.remove()
        }
        let (listed, failure, after) = try thread.run { () throws -> (String, String, String) in
            let nft = try Nftables()
            try nft.run("table ip vct_t {\n chain c { type filter hook input priority 0; policy accept; }\n}\n")
            let listed = try nft.run("list table ip vct_t", json: true)
            var failure = ""
            do {
                try nft.run(
                    "table ip vct_u {\n chain c { type filter hook input priority 0; }\n}\nadd rule ip vct_u c nonsense here\n"
                )
            } catch {
                failure = "\(error)"
            }
            return (listed, failure, try nft.run("list tables"))
        }
        #expect(listed.hasPrefix("{\"nftables\"") && listed.contains("\"vct_t\""))
        #expect(failure.hasPrefix("nft: Error: "), "libnftables' own error text: \(failure)")
        #expect(after.contains("vct_t") && !after.contains("vct_u"), "the failed transaction left nothing")
    }
}
