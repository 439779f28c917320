import ConnectorAPI
import Foundation
import Logging
import Netlink
import SiteNetwork

/// `vconnector bench tunnel`: two lab sites around one edge (A with two IPsec tunnels, B with one), measured in
/// one run against baselines of the same run:
/// - apply to SAs up: A's charons stopped, then `site apply` until both tunnels have their SAs (target < 1 s);
/// - RTT and TCP throughput from a host of A to a host of B through the tunnels, against the same hosts' path
///   to the edge without a tunnel (WAN, upstream NAT, internet);
/// - health-check CPU: this process's CPU time with A's tunnel monitor running at `high` (1 probe/s per tunnel)
///   against the same time without, per tunnel per hour;
/// - failover: A's primary tunnel dropped upstream, until A's route into the tunnels leaves it (target within 3
///   probe intervals), and back.
public struct TunnelBenchmark {
    public var iterations: Int

    public init(iterations: Int) { self.iterations = iterations }

    public struct Result: Codable, Sendable {
        public var iterations: Int
        public var apply_to_sas_up_s: Double
        public var target_apply_to_sas_up_s: Double
        public var rtt_tunnel_ms: Double
        public var rtt_baseline_ms: Double
        public var tcp_tunnel_mbit_s: Double
        public var tcp_baseline_mbit_s: Double
        public var tcp_ratio: Double
        public var health_cpu_s_per_tunnel_hour: Double
        public var failover_s: Double
        public var recovery_s: Double
        public var probe_interval_s: Double
        public var target_failover_s: Double
    }

    public func run(progress: (String) -> Void = { _ in }) throws -> Result {
        let root = BenchStateRoot("tunnel")
        defer { root.remove() }
        let (stateRoot, quiet, reconciler) = (root.path, root.logger, root.reconciler)
        let siteA = Self.site("a", octet: 61, tunnels: 2), siteB = Self.site("b", octet: 62, tunnels: 1)
        let namesA = reconciler.names(for: siteA), namesB = reconciler.names(for: siteB)
        defer {
            _ = try? reconciler.teardown(namesB)
            _ = try? reconciler.teardown(namesA)
        }
        let lab = Lab(reconciler: reconciler, logger: quiet)
        let labA = try lab.up(siteA, hostsPerLAN: 1, timeout: .seconds(30))
        let labB = try lab.up(siteB, hostsPerLAN: 1, timeout: .seconds(30))
        guard let hostA = labA.hosts.first?.namespace, let hostB = labB.hosts.first?.lease.flatMap({ IPv4Address($0.address) }) else {
            throw BenchmarkFailure("the lab hosts got no lease")
        }
        let edge = IPv4Address(value: 0x647F_0001)  // the lab edge on the internet: the path without a tunnel

        // Apply to SAs up.
        let instances = try Planner.desiredState(for: siteA, names: namesA, leases: [:]).tunnelLinks.map(\.instance)
        var upTimes: [Double] = []
        for iteration in 1...iterations {
            for instance in instances { Daemons.stop(pidFile: instance.pidFile) }
            let started = ContinuousClock.now
            _ = try reconciler.apply(siteA, dhcpWait: .zero)
            while !instances.allSatisfy({ TunnelSessions.isUp($0, namespace: namesA.connector) }) {
                guard ContinuousClock.now - started < .seconds(15) else {
                    let logs = instances.map { (try? String(contentsOfFile: $0.logFile, encoding: .utf8))?.split(separator: "\n").suffix(8).joined(separator: "\n") ?? "" }
                    let edgeLog = (try? String(contentsOfFile: "\(stateRoot)/edge/\(namesA.key)-ipsec0.log", encoding: .utf8))?.split(separator: "\n").suffix(12).joined(separator: "\n") ?? ""
                    throw BenchmarkFailure("tunnels not up 15 s after apply; their charons said:\n\(logs.joined(separator: "\n"))\nedge:\n\(edgeLog)")
                }
                usleep(5_000)
            }
            upTimes.append((ContinuousClock.now - started).seconds)
            progress("iteration \(iteration): apply to SAs up \(Statistics.rounded(upTimes.last!, places: 3)) s")
        }

        // RTT and TCP, through the tunnel and without.
        let pinger = try GatewayPinger(namespace: hostA)
        let tunnelRTT = Self.rtt(pinger, to: hostB), baselineRTT = Self.rtt(pinger, to: edge)
        let tunnelTCP = try TCPThroughput.measure(from: hostA, to: hostB, receiverNamespace: labB.hosts[0].namespace)
        let edgeNamespace = "ve-" + SiteNames.key(for: stateRoot)
        let baselineTCP = try TCPThroughput.measure(from: hostA, to: edge, receiverNamespace: edgeNamespace)
        progress("RTT \(tunnelRTT) ms (baseline \(baselineRTT) ms), TCP \(tunnelTCP) Mbit/s (baseline \(baselineTCP) Mbit/s)")

        // Health-check CPU, and failover.
        let window: Duration = .seconds(10)
        let idle = Self.cpuSeconds(during: window)
        let monitor = TunnelHealthMonitor(reconciler: reconciler, config: siteA, logger: quiet)
        defer { monitor.stop() }
        let busy = Self.cpuSeconds(during: window)
        let perTunnelHour = max(0, busy - idle) / Double(instances.count) * 3600 / window.seconds

        let failedAt = ContinuousClock.now
        try lab.inject(.tunnelDown(siteA.ipsecTunnels[0].name!), siteA)
        let failover = try Self.waitForTunnelRoute(in: namesA.connector, to: "ipsec1", since: failedAt)
        let recoveredAt = ContinuousClock.now
        try lab.inject(.tunnelUp(siteA.ipsecTunnels[0].name!), siteA)
        let recovery = try Self.waitForTunnelRoute(in: namesA.connector, to: "ipsec0", since: recoveredAt)
        progress("failover \(Statistics.rounded(failover, places: 2)) s, recovery \(Statistics.rounded(recovery, places: 2)) s")
        return Result(
            iterations: iterations, apply_to_sas_up_s: Statistics.rounded(Statistics.median(upTimes), places: 3), target_apply_to_sas_up_s: 1,
            rtt_tunnel_ms: tunnelRTT, rtt_baseline_ms: baselineRTT, tcp_tunnel_mbit_s: tunnelTCP, tcp_baseline_mbit_s: baselineTCP,
            tcp_ratio: Statistics.rounded(tunnelTCP / max(baselineTCP, 1e-9), places: 3),
            health_cpu_s_per_tunnel_hour: Statistics.rounded(perTunnelHour, places: 2),
            failover_s: Statistics.rounded(failover, places: 3), recovery_s: Statistics.rounded(recovery, places: 3),
            probe_interval_s: 1, target_failover_s: 3)
    }

    /// Median of 20 echo round trips, in ms.
    static func rtt(_ pinger: GatewayPinger, to address: IPv4Address) -> Double {
        var samples: [Double] = []
        for _ in 0..<20 {
            let started = ContinuousClock.now
            if pinger.ping(address, timeout: .seconds(1)) { samples.append((ContinuousClock.now - started).seconds * 1000) }
        }
        return Statistics.rounded(Statistics.median(samples), places: 3)
    }

    /// This process's CPU time (user + system) spent while sleeping `window`: what background threads used.
    static func cpuSeconds(during window: Duration) -> Double {
        func now() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
        let before = now()
        Thread.sleep(forTimeInterval: window.seconds)
        return now() - before
    }

    /// Seconds from `since` until the connector's first route into the tunnels goes by `link` alone.
    static func waitForTunnelRoute(in namespace: String, to link: String, since: ContinuousClock.Instant) throws -> Double {
        let thread = try NamespaceThread(namespace: namespace)
        defer { thread.stop() }
        let socket = try thread.run { try RouteSocket() }
        while ContinuousClock.now - since < .seconds(20) {
            let first = try socket.routes().filter { $0.destination == "10.0.0.0/8" }.min { $0.metric < $1.metric }
            if first?.nextHops.map(\.interface) == [link] { return (ContinuousClock.now - since).seconds }
            usleep(20_000)
        }
        throw BenchmarkFailure("the route into the tunnels did not move to \(link) within 20 s")
    }

    /// A site with `tunnels` static WANs, each carrying one tunnel to the lab edge, and one LAN 10.`octet`.0.0/24.
    static func site(_ tag: String, octet: Int, tunnels: Int) -> SiteConfig {
        let wans = [("198.51.100.2/24", "198.51.100.1"), ("203.0.113.2/24", "203.0.113.1")].prefix(tunnels).enumerated().map { index, wan in
            WAN(name: "isp-\(index)", physport: index + 1, priority: index, staticAddressing: WANStaticAddressing(address: wan.0, gatewayAddress: wan.1))
        }
        let ipsec = wans.indices.map { index in
            IPsecTunnel(cloudflareEndpoint: "162.159.64.1", interfaceAddress: "10.200.\(octet).\(index * 2)/31", name: "bench-\(tag)-t\(index)",
                        customerEndpoint: wans[index].staticAddressing?.address?.value.map { AddressField(value: $0.address) },
                        healthCheck: TunnelHealthCheck(enabled: true, rate: "high", type: "request"), psk: "bench-psk-\(tag)-\(index)-\(UInt32.random(in: 0...UInt32.max))")
        }
        return SiteConfig(
            site: Site(name: "bench-tunnel-\(tag)-\(UInt32.random(in: 0...UInt32.max))"),
            lans: [LAN(name: "office", physport: 3, staticAddressing: LANStaticAddressing(
                address: "10.\(octet).0.1/24", dhcpServer: DHCPServer(dhcpPoolEnd: "10.\(octet).0.199", dhcpPoolStart: "10.\(octet).0.100")))],
            wans: wans, acls: [], ipsecTunnels: ipsec,
            routes: ipsec.indices.map { MagicRoute(nexthop: "10.200.\(octet).\($0 * 2 + 1)", prefix: "10.\(octet).0.0/24", priority: 100 * ($0 + 1)) })
    }
}
