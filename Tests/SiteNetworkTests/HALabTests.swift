import ConnectorAPI
import Foundation
import Netlink
import Testing
import TestSupport

@testable import SiteNetwork

let haToolsAvailable = siteToolsAvailable && Command.isInstalled("keepalived")

/// An HA site in a real lab (root): exactly one active node after `lab up`, a hard failure of the active node
/// moves the virtual gateway and DHCP to the other while a host keeps its address, the recovered node comes
/// back as standby, a cut HA link never makes two active nodes, and teardown leaves no keepalived behind.
@Suite(.serialized, .enabled(if: haToolsAvailable, "needs root, iproute2, dnsmasq, busybox and keepalived"))
struct HALabTests {
    static let gateway = IPv4Address("10.30.1.1")!

    static func activeNodes(_ names: SiteNames) -> [HANode] { HANode.allCases.filter { HAState.current(names.node($0)) == .active } }

    static func settle(_ names: SiteNames) async throws -> [HANode] {
        for _ in 0..<40 where activeNodes(names).count != 1 { try await Task.sleep(for: .milliseconds(50)) }
        return activeNodes(names)
    }

    @Test func failoverKeepsTheHostsAddressAndTheRecoveredNodeStaysStandby() async throws {
        let config = try SiteFixtures.haLabSite("failover")
        let site = TestSite(config)
        defer { site.tearDown() }
        let lab = try await offPool { try Lab(reconciler: site.reconciler).up(config, hostsPerLAN: 1, timeout: .seconds(8)) }
        #expect(try await Self.settle(site.names) == [.primary], "the primary is elected, the secondary stands by")
        #expect(HAState.current(site.names.node(.secondary)) == .standby)
        let host = try #require(lab.hosts.first { $0.link == "port3" })
        let address = try #require(host.lease).address

        // Each node's snapshot part reports its own VRRP state.
        for node in HANode.allCases {
            var snapshot = Snapshot(t: 0, v: "test")
            SiteSnapshotPart.recorded(site.names.node(node), reconciler: site.reconciler).fill(&snapshot)
            #expect(snapshot.haState == (node == .primary ? "active" : "standby") && snapshot.haValue == (node == .primary ? 1 : 2))
        }
        var primary = Snapshot(t: 0, v: "test")
        SiteSnapshotPart.recorded(SiteNames(connectorNamespace: site.names.connector, stateRoot: site.stateRoot)!, reconciler: site.reconciler).fill(&primary)
        #expect(primary.haState == "active", "vc-<key> is told apart as the primary by its applied config")

        // The active node dies: the secondary takes the gateway within a second; the host keeps its lease and
        // renews it from the secondary's dnsmasq.
        let series = try EchoSeries(from: host.namespace, to: Self.gateway)
        try await Task.sleep(for: .milliseconds(500))
        let fault = ContinuousClock.now
        try await offPool { try Lab(reconciler: site.reconciler).inject(.nodeDown(.primary), config) }
        try await Task.sleep(for: .seconds(2))
        let outage = Outage(try await offPool { series.stop() }, fault: fault)
        #expect(try await Self.settle(site.names) == [.secondary])
        #expect(HAState.current(site.names.node(.primary)) == .stopped)
        #expect(outage.lost <= 10 && (outage.recovery ?? .seconds(9)) < .seconds(1), "\(outage)")
        let udhcpc = Observer.status(pidFile: "\(site.names.stateDirectory)/lab/udhcpc-\(host.namespace).pid", configFile: nil)
        try #require(udhcpc.running)
        try FileManager.default.removeItem(atPath: host.leaseFile)
        kill(udhcpc.pid!, SIGUSR1)
        for _ in 0..<100 where host.lease == nil { try await Task.sleep(for: .milliseconds(50)) }
        #expect(host.lease?.address == address, "the host renewed the same address from the node that took over")
        #expect(FileManager.default.fileExists(atPath: "\(site.names.node(.secondary).stateDirectory)/ha-dhcp/dnsmasq-port3.pid"))

        // The primary comes back as standby: no second outage.
        let again = try EchoSeries(from: host.namespace, to: Self.gateway)
        let back = ContinuousClock.now
        try await offPool { try Lab(reconciler: site.reconciler).inject(.nodeUp(.primary), config) }
        try await Task.sleep(for: .seconds(1))
        #expect(Outage(try await offPool { again.stop() }, fault: back).lost == 0)
        #expect(try await Self.settle(site.names) == [.secondary])
        #expect(HAState.current(site.names.node(.primary)) == .standby)
    }

    @Test func aCutHALinkNeverMakesTwoActiveNodesAndTeardownLeavesNothing() async throws {
        let config = try SiteFixtures.haLabSite("halink")
        let site = TestSite(config)
        defer { site.tearDown() }
        _ = try await offPool { try Lab(reconciler: site.reconciler).up(config, hostsPerLAN: 0, timeout: .seconds(5)) }
        #expect(try await Self.settle(site.names) == [.primary])
        try await offPool { try Lab(reconciler: site.reconciler).inject(.haLinkDown, config) }
        for _ in 0..<20 {
            #expect(Self.activeNodes(site.names).count == 1, "never active/active")
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(Self.activeNodes(site.names) == [.primary])
        try await offPool { try Lab(reconciler: site.reconciler).inject(.haLinkUp, config) }
        #expect(try await offPool { try site.reconciler.plan(config) }.isEmpty, "the pair is converged: nothing to do")

        _ = try await offPool { try site.reconciler.teardown(site.names) }
        #expect(Namespaces.all().allSatisfy { !site.names.owns(namespace: $0) })
        #expect(!FileManager.default.fileExists(atPath: site.names.siteDirectory))
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid -> String? in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return line.contains(site.stateRoot) ? line : nil
        }
        #expect(left.isEmpty, "no keepalived or dnsmasq left: \(left)")
    }
}
