import ConnectorAPI
import Foundation
import Netlink
import SiteRules
import TestSupport
import Testing

@testable import SiteNetwork

/// Root with the tools `site apply` runs.
let siteToolsAvailable = TestNamespace.isAvailable && Command.isInstalled("dnsmasq") && Command.isInstalled("busybox")

/// End to end on this host: the site and its lab in real namespaces, real dnsmasq/udhcpc leases, real
/// NAT and ACLs in nft. Root only; every test tears its site down even when it fails.
@Suite(.serialized, .enabled(if: siteToolsAvailable, "needs root, iproute2, dnsmasq and busybox"))
struct SiteApplyTests {
    init() { SiteFixtures.cleanUpKilledRuns() }

    @Test func labLeasesNATACLsIdempotenceAndTeardown() async throws {
        var config = SiteFixtures.twoWANsTwoLANs()
        let site = TestSite(config)
        defer { site.tearDown() }
        let (reconciler, names) = (site.reconciler, site.names)

        let report = try Lab(reconciler: reconciler).up(config, hostsPerLAN: 1, timeout: .seconds(20))
        #expect(report.apply.pendingLeases.isEmpty, "the DHCP WAN got its lease from the lab upstream")

        // Leases: the reserved MAC gets its address; the relay LAN's host gets one of the relayed pool.
        let office = try #require(report.hosts.first { $0.link == "port3" })
        let lab = try #require(report.hosts.first { $0.link == "port4" })
        #expect(office.lease?.address == "192.168.10.10")
        let labAddress = try #require(lab.lease?.address)
        #expect(IPv4CIDR("192.168.20.0/24")!.contains(IPv4Address(labAddress)!))
        #expect(
            SiteTelemetry.dhcpLeases(names).contains {
                $0.ipAddress == "192.168.10.10" && $0.macAddress == "02:00:00:00:10:0a"
            })

        // The DHCP WAN's lease is applied over netlink: its address and its default route (metric 11).
        let connector = try NamespaceHandle(names.connector)
        let port2 = try connector.socket.addresses().filter { $0.family == AF_INET }
            .filter { address in
                (try? connector.socket.links().first { $0.index == address.interfaceIndex }?.name) == "port2"
            }
        #expect(port2.contains { $0.address.hasPrefix("100.64.2.") })
        let routes = try connector.socket.routes()
        #expect(
            routes.contains {
                $0.destination == "0.0.0.0/0" && $0.metric == 10
                    && $0.nextHops == [NextHop(gateway: "198.51.100.1", interface: "port1")]
            })
        #expect(
            routes.contains {
                $0.destination == "0.0.0.0/0" && $0.metric == 11 && $0.nextHops.first?.gateway == "100.64.2.1"
            })

        // NAT: a LAN host reaches the upstream, which sees the WAN's address.
        let upstreamListener = try NamespaceSockets.listen(
            in: names.upstream("port1"), address: "198.51.100.1", port: 8080)
        defer { close(upstreamListener) }
        #expect(try NamespaceSockets.connect(from: office.namespace, to: "198.51.100.1", port: 8080))
        #expect(NamespaceSockets.acceptPeer(upstreamListener) == "198.51.100.2")

        // LAN to LAN: blocked without an ACL...
        let labListener = try NamespaceSockets.listen(in: lab.namespace, address: labAddress, port: 22)
        defer { close(labListener) }
        #expect(try !NamespaceSockets.connect(from: office.namespace, to: labAddress, port: 22, timeout: 1))

        // ...allowed with one; only the ruleset changes.
        config.acls = [SiteFixtures.officeToLabSSH]
        let withACL = try reconciler.apply(config)
        #expect(withACL.operations.count == 1)
        #expect(withACL.operations.allSatisfy { if case .loadRuleset = $0 { true } else { false } })
        #expect(try NamespaceSockets.connect(from: office.namespace, to: labAddress, port: 22))
        // One way: the lab cannot open a connection to the office.
        let officeListener = try NamespaceSockets.listen(in: office.namespace, address: "192.168.10.10", port: 22)
        defer { close(officeListener) }
        #expect(try !NamespaceSockets.connect(from: lab.namespace, to: "192.168.10.10", port: 22, timeout: 1))

        // Re-apply of the same config: zero operations, and the dry run agrees.
        #expect(try reconciler.plan(config).isEmpty)
        #expect(try reconciler.apply(config).operations.isEmpty)

        // A changed pool restarts only that LAN's dnsmasq.
        config.lans[0].staticAddressing?.dhcpServer?.dhcpPoolEnd = "192.168.10.150"
        let poolChange = try reconciler.apply(config)
        #expect(poolChange.operations.map(\.description) == ["restart dnsmasq-port3 (config changed)"])

        // Teardown: no namespace, process or state of the site is left, not even a process started by hand in a
        // lab host (it has no pid file of ours: it is stopped because its namespace is the site's).
        let stray = Process()
        stray.executableURL = URL(fileURLWithPath: try Command.path(of: "ip"))
        stray.arguments = ["netns", "exec", office.namespace, try Command.path(of: "sleep"), "300"]
        try stray.run()
        #expect(try await eventually { !Namespaces.processes(in: office.namespace).isEmpty })
        try reconciler.teardown(names)
        #expect(try await eventually { !stray.isRunning })
        #expect(Namespaces.all().filter { names.owns(namespace: $0) }.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: names.stateDirectory))
        #expect(try processes(mentioning: names.stateDirectory).isEmpty)
    }

    @Test func invalidConfigIsRejectedAndAppliedStateStaysIntact() throws {
        let config = SiteFixtures.twoWANsTwoLANs("bad")
        let site = TestSite(config)
        defer { site.tearDown() }
        let reconciler = site.reconciler
        _ = try reconciler.apply(config, dhcpWait: .zero)

        var broken = config
        broken.lans[0].staticAddressing?.dhcpServer?.dhcpPoolStart = "10.9.9.9"
        #expect(throws: SiteValidationError.self) { try reconciler.apply(broken) }
        #expect(throws: SiteValidationError.self) { try reconciler.plan(broken) }
        #expect(try reconciler.plan(config).isEmpty, "the applied site is untouched")
    }

    @Test func crashHalfWayConvergesOnTheNextApply() throws {
        let config = SiteFixtures.twoWANsTwoLANs("crash")
        let site = TestSite(config)
        defer { site.tearDown() }
        let (reconciler, names) = (site.reconciler, site.names)
        _ = try reconciler.apply(config, dhcpWait: .zero)
        // Simulate a run that died half-way: a port gone, an address gone, the ruleset gone.
        let connector = try NamespaceHandle(names.connector)
        try connector.socket.deleteLink("port4")
        // ...and re-created unmarked, as a run that died between creating the pair and marking it leaves it.
        try TestNamespace.ip([
            "-n", names.fabric, "link", "add", "c4", "type", "veth", "peer", "name", "port4", "netns", names.connector,
        ])
        try connector.socket.deleteAddress("198.51.100.2/24", from: "port1")
        _ = try connector.nft { try $0.run("delete table ip vconnector") }
        let repair = try reconciler.apply(config, dhcpWait: .zero)
        #expect(repair.operations.contains(.createPort(PortSpec(name: "port4"))))
        #expect(repair.operations.contains(.addAddress(link: "port1", cidr: "198.51.100.2/24")))
        #expect(repair.operations.contains { if case .loadRuleset = $0 { true } else { false } })
        #expect(try reconciler.plan(config).isEmpty)
    }

    @Test func vlanAndBondEmulationsAndTheSiteTelemetry() throws {
        var config = SiteFixtures.twoWANsTwoLANs("vlan")
        config.lans[1].physport = nil
        config.lans[1].bondId = 2
        config.lans.append(
            LAN(
                id: "lan-voice", name: "voice", physport: 3,
                staticAddressing: LANStaticAddressing(address: "192.168.30.1/24"), vlanTag: 100))
        let site = TestSite(config)
        defer { site.tearDown() }
        let (reconciler, names) = (site.reconciler, site.names)
        let report = try reconciler.apply(config, dhcpWait: .zero)
        #expect(
            report.notes.contains { $0.hasPrefix("VLAN: emulated") }
                && report.notes.contains { $0.hasPrefix("bond: emulated") })
        let links = try NamespaceHandle(names.connector).socket.links().map(\.name)
        #expect(links.contains("p3v100") && links.contains("bond2") && links.contains("port3"))

        var snapshot = Snapshot(t: 0, v: "test")
        SiteSnapshotPart.recorded(names, reconciler: reconciler).fill(&snapshot)
        #expect(snapshot.bonds == [Snapshot.Bond(name: "bond2", status: "up")])
        #expect(snapshot.delta == report.operations.count)
        #expect(snapshot.epsilon == 0)
        #expect(snapshot.dhcpLeases == [])
    }

    private func eventually(_ condition: () throws -> Bool) async throws -> Bool {
        for _ in 0..<100 {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try condition()
    }

    private func processes(mentioning text: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { $0.allSatisfy(\.isNumber) }.compactMap {
            pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return line.contains(text) ? line : nil
        }
    }
}
