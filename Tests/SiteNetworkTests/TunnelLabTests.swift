import ConnectorAPI
import Foundation
import Netlink
import Synchronization
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
        #expect(try await offPool { try Self.reaches(hostA, hostB) }, "A reaches B through the edge\n\(Self.logs(siteA))")
        let seen = try await offPool {
            try Self.capture(in: siteA.names.connector, on: "port1", "udp src port 4501 and udp[8:4] != 0", while: { try Self.keepPinging(hostA, hostB) })
        }
        #expect(seen.contains("198.51.100.2.4501 > 162.159.64.1.4500"), "ESP-in-UDP on A's WAN: \(seen)")

        // lab verify with B as a peer: A's office to B's shop through the tunnels, expected from the routes alone.
        let crossing = try await offPool { try LabVerifier(reconciler: siteA.reconciler).verify(configA, peers: [configB]) }
        #expect(crossing.failed == 0, "\(crossing.text)")
        let toB = try #require(crossing.checks.first { $0.to.hasPrefix("\(configB.site.name!)/") })
        #expect(toB.expected.verdict == .allow && toB.seen.verdict == .allow && toB.expected.rule.contains("route 10.32.0.0/24"), "\(toB)")

        // The health checks: both of A's tunnels healthy, with an MTU probed through each.
        let monitor = TunnelHealthMonitor(reconciler: siteA.reconciler, config: configA, logger: .init(label: "test"))
        defer { monitor.stop() }
        let healthy = try await waitFor(seconds: 15, explaining: { "\(TunnelHealth.read(siteA.names))\n\(Self.logs(siteA))" }) {
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
        // The edge's route back to A follows just after the connector's (the same re-apply): a few echoes.
        #expect(try await offPool { try Self.reaches(hostA, hostB) }, "A still reaches B, by the backup tunnel")

        // Back: two answered probes bring the primary back.
        try lab.inject(.tunnelUp("tun-a-t0"), configA)
        _ = try await waitFor(seconds: 15) {
            Self.routes(in: connector).first { $0.destination == "10.0.0.0/8" && $0.metric == 100 }?.nextHops.map(\.interface) == ["ipsec0"] ? true : nil
        }
        #expect(try await offPool { try Self.reaches(hostA, hostB) })
    }

    /// What tcpdump saw of `filter` on `link` (its first packet, or why it saw none) while `traffic` ran: the capture
    /// runs on a thread of its own, started before the traffic and kept until it saw a packet or 8 s passed.
    static func capture(in namespace: String, on link: String, _ filter: String, while traffic: () throws -> Void) throws -> String {
        let result = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            let output: String
            do { output = try Command.run(in: namespace, "timeout", ["8", "tcpdump", "-n", "-c", "1", "-i", link, filter]) } catch { output = "\(error)" }
            result.withLock { $0 = output }
            done.signal()
        }.start()
        usleep(500_000)  // tcpdump attaches its filter
        for _ in 0..<3 where result.withLock({ $0 }) == nil { try traffic() }
        done.wait()
        return result.withLock { $0 } ?? ""
    }

    /// Ten echoes, 0.3 s apart: for a capture that may start late under load.
    static func keepPinging(_ namespace: String, _ address: IPv4Address) throws {
        let pinger = try GatewayPinger(namespace: namespace)
        for _ in 0..<10 {
            _ = pinger.ping(address, timeout: .milliseconds(300))
            usleep(300_000)
        }
    }

    /// True when one of three echoes from `namespace` to `address` is answered.
    static func reaches(_ namespace: String, _ address: IPv4Address) throws -> Bool {
        let pinger = try GatewayPinger(namespace: namespace)
        return (0..<3).contains { _ in pinger.ping(address, timeout: .seconds(1)) }
    }

    /// An ACL with forward_locally false on a site with tunnels: its LAN-to-LAN traffic is seen on the tunnel link,
    /// and `lab verify` (allowed and dropped probes both ways) passes, the edge routing it back by the site's routes;
    /// with the primary tunnel down (`--faults tunnel-down`) it passes on the backup, and again once it is back.
    @Test func forwardLocallyFalseGoesThroughTheEdgeAndVerifyPasses() async throws {
        let config = SiteFixtures.viaEdgeSite("via-edge", octet: 33, tunnels: 2)
        let site = TestSite(config)
        defer { site.tearDown() }
        let lab = try await offPool { try Lab(reconciler: site.reconciler).up(config, hostsPerLAN: 1, timeout: .seconds(20)) }
        let office = try #require(lab.hosts.first { $0.lan == "office" }?.namespace)
        let labHost = try #require(lab.hosts.first { $0.lan == "lab" }?.lease.flatMap { IPv4Address($0.address) })
        #expect(try await offPool { try Self.reaches(office, labHost) }, "office reaches lab via the edge")
        let seen = try await offPool {
            try Self.capture(in: site.names.connector, on: "ipsec0", "icmp and dst host \(labHost)", while: { try Self.keepPinging(office, labHost) })
        }
        #expect(seen.contains("> \(labHost): ICMP echo request"), "the office-to-lab echo crossed the tunnel: \(seen)")
        let report = try await offPool { try LabVerifier(reconciler: site.reconciler).verify(config, tunnelDowns: ["via-edge-t0"]) }
        #expect(report.failed == 0, "\(report.text)")
        #expect(report.checks.contains { $0.phase == "tunnel-down via-edge-t0" && $0.from == "office" && $0.to == "lab" })
        #expect(report.notes.contains { $0.hasPrefix("tunnel-down via-edge-t0: routes off ipsec0 after ") }, "\(report.notes)")
        #expect(report.notes.contains { $0.hasPrefix("tunnel-up via-edge-t0: routes back on ipsec0 after ") }, "\(report.notes)")
        #expect(report.checks.contains { $0.from == "office" && $0.to == "lab" && $0.probe == Probe(.tcp, port: 22) && $0.seen.verdict == .allow })
        #expect(report.checks.contains { $0.from == "office" && $0.to == "lab" && $0.probe == Probe(.tcp, port: 80) && $0.seen.verdict == .drop })
    }

    /// The last lines of the site's charons' logs, at both ends (what a failure needs explained).
    static func logs(_ site: TestSite) -> String {
        let directories = ["\(site.names.stateDirectory)", "\(site.stateRoot)/edge"]
        return directories.flatMap { directory in
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".log") && $0.contains("ipsec") }.map { file in
                let lines = ((try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)) ?? "").split(separator: "\n")
                    .filter { !$0.contains("KNL] fe80") && !$0.contains("flags changed") }.suffix(15)
                return "== \(directory)/\(file)\n" + lines.joined(separator: "\n")
            }
        }.joined(separator: "\n")
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
