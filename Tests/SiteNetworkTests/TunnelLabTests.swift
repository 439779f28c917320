import ConnectorAPI
import Foundation
import Netlink
import Testing
import TestSupport

@testable import SiteNetwork

let tunnelToolsAvailable = siteToolsAvailable && Command.isInstalled("charon-systemd") && Command.isInstalled("swanctl")
    && Command.isInstalled("tcpdump")

/// Two sites around one lab edge (root, strongSwan): tunnels up, a host of A reaches a host of B through them,
/// the WAN carries ESP-in-UDP, the health checks fill `tunnels[]`, a tunnel fault moves traffic to the backup
/// tunnel and back, and teardown leaves no charon, TUN device or namespace.
@Suite(.serialized, .enabled(if: tunnelToolsAvailable, "needs root, iproute2, dnsmasq, busybox, strongSwan (charon-systemd, swanctl) and tcpdump"))
struct TunnelLabTests {
    @Test func twoSitesTalkThroughTheEdgeAndATunnelFaultFailsOver() async throws {
        let configA = SiteFixtures.tunnelSite("tun-a", octet: 31)
        let configB = SiteFixtures.tunnelSite("tun-b", octet: 32, tunnels: 1)
        let siteA = TestSite(configA)
        let siteB = TestSite(configB, stateRoot: siteA.stateRoot)
        let edge = LabEdge(stateRoot: siteA.stateRoot)
        defer {
            siteB.tearDown(keepingStateRoot: true)
            siteA.tearDown()
            #expect(!Namespaces.exists(edge.namespace), "the edge goes with the last site")
        }
        let labA = try await offPool { try Lab(reconciler: siteA.reconciler).up(configA, hostsPerLAN: 1, timeout: .seconds(20)) }
        let labB = try await offPool { try Lab(reconciler: siteB.reconciler).up(configB, hostsPerLAN: 1, timeout: .seconds(20)) }
        let hostA = try #require(labA.hosts.first?.namespace)
        let hostB = try #require(labB.hosts.first?.lease.flatMap { IPv4Address($0.address) })
        for (site, config) in [(siteA, configA), (siteB, configB)] {
            let instances = try Planner.desiredState(for: config, names: site.names, leases: [:]).tunnelLinks.map(\.instance)
            #expect(instances.allSatisfy { TunnelSessions.isUp($0, namespace: site.names.connector) }, "every tunnel has its SAs")
        }

        // A's office reaches B's shop through the tunnels, and A's WAN carries it as ESP-in-UDP (a non-zero SPI
        // after the UDP header: IKE has a zero non-ESP marker there).
        let capture = Task.detached {
            try? Command.run(in: siteA.names.connector, "timeout", ["5", "tcpdump", "-n", "-c", "1", "-i", "port1", "udp src port 4501 and udp[8:4] != 0"])
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await offPool { try GatewayPinger(namespace: hostA).ping(hostB, timeout: .seconds(2)) }, "A reaches B through the edge")
        let seen = await capture.value ?? ""
        #expect(seen.contains("198.51.100.2.4501 > 162.159.64.1.4500"), "ESP-in-UDP on A's WAN: \(seen)")

        // The health checks: both of A's tunnels healthy, with an MTU probed through each.
        let monitor = TunnelHealthMonitor(reconciler: siteA.reconciler, config: configA, logger: .init(label: "test"))
        defer { monitor.stop() }
        let healthy = try await waitFor(seconds: 15, explaining: { "\(TunnelHealth.read(siteA.names))" }) {
            let tunnels = TunnelHealth.snapshotTunnels(configA, names: siteA.names)
            return tunnels.count == 2 && tunnels.allSatisfy { $0.healthState == "healthy" && ($0.recentHealthyPings ?? 0) >= 2 } ? tunnels : nil
        }
        #expect(healthy.allSatisfy { ($0.probedMtu ?? 0) >= 1300 && ($0.probedMtu ?? 0) <= 1500 }, "\(healthy)")
        #expect(healthy.map(\.interfaceName) == ["ipsec0", "ipsec1"] && healthy.map(\.tunnelId) == ["tun-a-t0", "tun-a-t1"])

        // The primary tunnel's flow dropped upstream: it goes down and traffic moves to the backup, both ways.
        let lab = Lab(reconciler: siteA.reconciler)
        try lab.inject(.tunnelDown("tun-a-t0"), configA)
        let connector = siteA.names.connector
        _ = try await waitFor(seconds: 8) {
            TunnelHealth.read(siteA.names).tunnels["ipsec0"]?.down == true
                && Self.routes(in: connector).first { $0.destination == "10.0.0.0/8" }?.nextHops.map(\.interface) == ["ipsec1"] ? true : nil
        }
        #expect(TunnelHealth.snapshotTunnels(configA, names: siteA.names)[0].healthState == "down")
        #expect(try await offPool { try GatewayPinger(namespace: hostA).ping(hostB, timeout: .seconds(2)) }, "A still reaches B, by the backup tunnel")

        // Back: two answered probes bring the primary back.
        try lab.inject(.tunnelUp("tun-a-t0"), configA)
        _ = try await waitFor(seconds: 15) {
            Self.routes(in: connector).first { $0.destination == "10.0.0.0/8" && $0.metric == 100 }?.nextHops.map(\.interface) == ["ipsec0"] ? true : nil
        }
        #expect(try await offPool { try GatewayPinger(namespace: hostA).ping(hostB, timeout: .seconds(2)) })
    }

    /// The main table of `namespace` now.
    private static func routes(in namespace: String) -> [Route] {
        (try? NamespaceHandle(namespace).socket.routes()) ?? []
    }

    /// Polls `body` (off the cooperative pool) until it returns a value, for at most `seconds`.
    private func waitFor<T: Sendable>(
        seconds: Double, explaining: @Sendable () -> String = { "" }, _ body: @escaping @Sendable () -> T?
    ) async throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = try await offPool(body) { return value }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ProbeError("condition not met within \(seconds) s \(explaining())")
    }
}
