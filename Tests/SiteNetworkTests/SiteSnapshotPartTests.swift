import ConnectorAPI
import Foundation
import Testing

@testable import SiteNetwork

@Suite("The site's part of a snapshot: one fill for the agent and `snapshot --netns`")
struct SiteSnapshotPartTests {
    @Test("fill: leases read from the lease files now, delta and epsilon, bonds after the host's own")
    func fill() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vct-part-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let names = SiteNames(key: "0123456789ab", stateRoot: root)
        try FileManager.default.createDirectory(atPath: names.stateDirectory, withIntermediateDirectories: true)
        try "1795553072 02:00:00:00:10:0a 192.168.10.10 office-pc *\n"
            .write(toFile: names.stateDirectory + "/dnsmasq-port3.leases", atomically: true, encoding: .utf8)
        let part = SiteSnapshotPart(
            names: names, delta: 4, epsilon: 1, bonds: [Snapshot.Bond(name: "bond2", status: "up")])

        var snapshot = Snapshot(t: 0, v: "test")
        snapshot.bonds = [Snapshot.Bond(name: "bond0", status: "up")]
        part.fill(&snapshot)
        #expect(snapshot.dhcpLeases?.map(\.ipAddress) == ["192.168.10.10"])
        #expect(snapshot.dhcpLeases?.first?.interfaceName == "port3")
        #expect(snapshot.delta == 4 && snapshot.epsilon == 1)
        #expect(snapshot.bonds?.map(\.name) == ["bond0", "bond2"])

        // Nothing applied here: only the leases (none), no delta or epsilon, no bonds.
        var bare = Snapshot(t: 0, v: "test")
        SiteSnapshotPart(names: SiteNames(key: "ba0123456789", stateRoot: root), delta: nil, epsilon: nil, bonds: [])
            .fill(&bare)
        #expect(bare.dhcpLeases == [] && bare.delta == nil && bare.epsilon == nil && bare.bonds == nil)
    }

    @Test("recorded: a site never applied on this host has no delta, epsilon or bonds")
    func recordedWithoutAnApply() {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vct-part-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let names = SiteNames(key: "0123456789ab", stateRoot: root)
        let part = SiteSnapshotPart.recorded(names, reconciler: SiteReconciler(stateRoot: root))
        #expect(part == SiteSnapshotPart(names: names, delta: nil, epsilon: nil, bonds: []))
    }
}
