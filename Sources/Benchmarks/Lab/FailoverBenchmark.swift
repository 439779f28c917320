import ConnectorAPI
import Foundation
import Logging
import SiteNetwork

/// `vconnector bench failover`: an HA site in a lab, a host on its DHCP LAN pinging the virtual gateway and an
/// address beyond the WAN every 100 ms while the active node fails hard (links down, every process SIGKILLed);
/// then the dead node comes back (as standby: nothing should be lost). Each run fails whichever node is active,
/// so the runs alternate between the two. Medians of `runs`; targets: failover under 1 s, at most 10 probes lost,
/// recovery 0 lost.
public struct FailoverBenchmark {
    public var runs: Int

    public init(runs: Int) { self.runs = runs }

    public struct Result: Codable, Sendable {
        public var runs: Int
        public var probe_interval_s: Double
        /// From the fault to the first answered probe of the virtual gateway after the outage.
        public var failover_s: Double
        public var failover_max_s: Double
        public var failover_lost: Double
        /// The same through the new active node's NAT to the lab's internet.
        public var internet_failover_s: Double
        public var internet_lost: Double
        public var recovery_lost: Double
        public var target_failover_s: Double
        public var target_lost: Int
    }

    /// One WAN, a DHCP LAN and the HA link: the smallest pair that shows DHCP, VRRP and NAT moving.
    static func site() -> SiteConfig {
        SiteConfig(
            site: Site(connectorId: "bench-primary", haMode: true, name: "bench-failover", secondaryConnectorId: "bench-secondary"),
            lans: [
                LAN(name: "users", physport: 3, staticAddressing: LANStaticAddressing(
                    address: "10.40.1.2/24", dhcpServer: DHCPServer(dhcpPoolEnd: "10.40.1.199", dhcpPoolStart: "10.40.1.100"),
                    secondaryAddress: "10.40.1.3/24", virtualAddress: "10.40.1.1/24")),
                LAN(haLink: true, name: "ha", physport: 4, staticAddressing: LANStaticAddressing(
                    address: "169.254.40.1/29", secondaryAddress: "169.254.40.2/29", virtualAddress: "169.254.40.3/29")),
            ],
            wans: [
                WAN(name: "isp", physport: 1, staticAddressing: WANStaticAddressing(
                    address: "198.51.100.2/29", gatewayAddress: "198.51.100.1", secondaryAddress: "198.51.100.3/29")),
            ], acls: [])
    }

    public func run(progress: (String) -> Void = { _ in }) throws -> Result {
        let root = BenchStateRoot("failover")
        defer { root.remove() }
        let (quiet, reconciler) = (root.logger, root.reconciler)
        let config = Self.site()
        let names = reconciler.names(for: config)
        defer { _ = try? reconciler.teardown(names) }
        let lab = Lab(reconciler: reconciler, logger: quiet)
        let up = try lab.up(config, hostsPerLAN: 1, timeout: .seconds(15))
        guard let host = up.hosts.first(where: { $0.lan == "users" }), host.lease != nil else { throw BenchmarkFailure("the lab host got no lease") }
        let gateway = IPv4Address(value: 0x0A28_0101)  // 10.40.1.1, the virtual address

        var failover: [Double] = [], lost: [Double] = [], internet: [Double] = [], internetLost: [Double] = [], recoveryLost: [Double] = []
        for run in 1...runs {
            guard let active = Lab.awaitActiveNode(names, timeout: .seconds(5)) else { throw BenchmarkFailure("no node is active") }
            let toGateway = try EchoSeries(from: host.namespace, to: gateway)
            let toInternet = try EchoSeries(from: host.namespace, to: LabVerifier.internetAddress)
            Thread.sleep(forTimeInterval: 0.5)
            let fault = ContinuousClock.now
            try lab.inject(.nodeDown(active), config)
            Thread.sleep(forTimeInterval: 2.5)
            let outage = Outage(toGateway.stop(), fault: fault), beyond = Outage(toInternet.stop(), fault: fault)
            guard let moved = outage.recovery, let movedBeyond = beyond.recovery else {
                throw BenchmarkFailure("run \(run): the gateway or the internet did not answer again 2.5 s after the \(active.rawValue) node failed")
            }
            failover.append(moved.seconds)
            lost.append(Double(outage.lost))
            internet.append(movedBeyond.seconds)
            internetLost.append(Double(beyond.lost))

            let again = try EchoSeries(from: host.namespace, to: gateway)
            let back = ContinuousClock.now
            try lab.inject(.nodeUp(active), config)
            Thread.sleep(forTimeInterval: 1.5)
            recoveryLost.append(Double(Outage(again.stop(), fault: back).lost))
            progress("run \(run): \(active.rawValue) failed, gateway back after \(Statistics.rounded(moved.seconds, places: 3)) s (\(outage.lost) lost), "
                + "internet after \(Statistics.rounded(movedBeyond.seconds, places: 3)) s (\(beyond.lost) lost); its return lost \(Int(recoveryLost.last!))")
        }
        return Result(
            runs: runs, probe_interval_s: 0.1, failover_s: Statistics.rounded(Statistics.median(failover), places: 3),
            failover_max_s: Statistics.rounded(failover.max() ?? 0, places: 3), failover_lost: Statistics.median(lost),
            internet_failover_s: Statistics.rounded(Statistics.median(internet), places: 3), internet_lost: Statistics.median(internetLost),
            recovery_lost: Statistics.median(recoveryLost), target_failover_s: 1, target_lost: 10)
    }
}
