import ConnectorAPI
import Testing
import Telemetry
import TestSupport

@Suite("Snapshots of a network namespace", .serialized, .enabled(if: TestNamespace.isAvailable))
struct NamespaceSnapshotTests {
    @Test("--netns reports that namespace's interfaces, netdevs and snmp, not the host's")
    func namespaceView() throws {
        let namespace = try TestNamespace("snap")
        defer { namespace.remove() }
        try namespace.ip(["link", "add", "vctLan", "type", "veth", "peer", "name", "vctPeer"])
        try namespace.ip(["addr", "add", "203.0.113.1/24", "dev", "vctLan"])
        try namespace.ip(["link", "set", "vctLan", "up"])
        try namespace.ip(["link", "set", "vctPeer", "up"])
        try namespace.ip(["link", "set", "lo", "up"])

        var options = CollectorOptions()
        options.networkNamespace = namespace.name
        let (snapshot, warnings) = try SnapshotCollector(options: options).collect()
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(Set(snapshot.interfaces?.map(\.name) ?? []) == ["lo", "vctLan", "vctPeer"])
        #expect(Set(snapshot.netdevs?.map(\.name) ?? []) == ["lo", "vctLan", "vctPeer"])
        let lan = try #require(snapshot.interfaces?.first { $0.name == "vctLan" })
        #expect(lan.ipAddresses?.contains(Snapshot.InterfaceAddress(interfaceName: "vctLan", ipAddress: "203.0.113.1/24")) == true)
        #expect(lan.speed == 10_000_000_000)
        // A fresh namespace has forwarding off and has received almost nothing.
        #expect(snapshot.snmpIpForwardingEnabled == false)
        #expect((snapshot.snmpIpInReceives ?? .max) < 100)
        // Host-wide sections are still the host's.
        #expect(snapshot.memoryTotalBytes != nil)
    }
}
