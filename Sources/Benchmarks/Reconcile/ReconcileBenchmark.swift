import ConnectorAPI
import Foundation
import Logging
import SiteNetwork

/// `vconnector bench reconcile`: a full apply, a no-op re-apply and a one-LAN change of a real site, against
/// the same end state built with `ip -batch` (plus `nft -f` and sysctl) in the same run.
public struct ReconcileBenchmark {
    public var config: SiteConfig
    public var iterations: Int
    public var noOpRepeats: Int
    /// Seconds to wait after a teardown before the next timed build.
    public var settle: Double

    public init(config: SiteConfig, iterations: Int, noOpRepeats: Int = 20, settle: Double = 1) {
        self.config = config
        self.iterations = iterations
        self.noOpRepeats = noOpRepeats
        self.settle = settle
    }

    public struct Result: Codable, Sendable {
        public var iterations: Int
        public var full_apply_ms: Double
        public var full_apply_operations: Int
        public var full_apply_without_daemons_ms: Double
        public var daemon_startup_ms: Double
        public var baseline_ip_batch_ms: Double
        public var ratio_full_apply_to_ip_batch: Double
        public var noop_reapply_ms: Double
        public var noop_reapply_p99_ms: Double
        public var noop_reapply_operations: Int
        public var one_lan_change_ms: Double
        public var one_lan_change_operations: Int
        public var dry_run_ms: Double
    }

    public func run(progress: (String) -> Void = { _ in }) throws -> Result {
        let stateRoot = FileManager.default.temporaryDirectory.appendingPathComponent(
            "vconnector-bench-\(UInt32.random(in: 0...UInt32.max))"
        ).path
        defer { try? FileManager.default.removeItem(atPath: stateRoot) }
        var quiet = Logger(label: "vconnector.bench")
        quiet.logLevel = .warning
        let reconciler = SiteReconciler(stateRoot: stateRoot, logger: quiet)
        var full: [Double] = [], withoutDaemons: [Double] = [], daemons: [Double] = [], baseline: [Double] = []
        var noOp: [Double] = [], change: [Double] = [], dryRun: [Double] = []
        var fullOperations = 0, noOpOperations = 0, changeOperations = 0

        for iteration in 1...iterations {
            var site = config
            site.site.name = "\(config.site.name ?? "bench")-\(iteration)-\(UInt32.random(in: 0...UInt32.max))"
            site.site.id = nil
            let names = reconciler.names(for: site)
            defer { _ = try? reconciler.teardown(names) }

            // The kernel destroys a deleted namespace's links asynchronously (cleanup_net, under the rtnl lock):
            // let the previous iteration's teardown finish before timing, for both contenders alike.
            Thread.sleep(forTimeInterval: settle)
            let started = ContinuousClock.now
            let report = try reconciler.apply(site, dhcpWait: .zero)
            let total = (ContinuousClock.now - started).milliseconds
            full.append(total)
            daemons.append(report.daemonTime.milliseconds)
            withoutDaemons.append(total - report.daemonTime.milliseconds)
            fullOperations = report.operations.count

            for _ in 0..<noOpRepeats {
                let start = ContinuousClock.now
                noOpOperations = max(noOpOperations, try reconciler.apply(site, dhcpWait: .zero).operations.count)
                noOp.append((ContinuousClock.now - start).milliseconds)
            }
            let dryStart = ContinuousClock.now
            _ = try reconciler.plan(site)
            dryRun.append((ContinuousClock.now - dryStart).milliseconds)

            var changed = site
            changed.lans[0].staticAddressing?.dhcpServer?.dhcpPoolEnd = "10.1.0.150"
            let changeStart = ContinuousClock.now
            changeOperations = try reconciler.apply(changed, dhcpWait: .zero).operations.count
            change.append((ContinuousClock.now - changeStart).milliseconds)
            _ = try reconciler.teardown(names)

            Thread.sleep(forTimeInterval: settle)
            baseline.append(
                try ipBatchBaseline(site, names: SiteNames(key: "b" + names.key.dropFirst(), stateRoot: stateRoot)))
            progress(
                "iteration \(iteration): full \(String(format: "%.1f", total)) ms, ip -batch \(String(format: "%.1f", baseline.last ?? 0)) ms"
            )
        }
        let fullWithout = median(withoutDaemons)
        return Result(
            iterations: iterations, full_apply_ms: median(full), full_apply_operations: fullOperations,
            full_apply_without_daemons_ms: fullWithout, daemon_startup_ms: median(daemons),
            baseline_ip_batch_ms: median(baseline), ratio_full_apply_to_ip_batch: fullWithout / median(baseline),
            noop_reapply_ms: median(noOp), noop_reapply_p99_ms: percentile(noOp, 0.99),
            noop_reapply_operations: noOpOperations,
            one_lan_change_ms: median(change), one_lan_change_operations: changeOperations, dry_run_ms: median(dryRun))
    }

    /// The same namespaces, links, addresses, routes, forwarding and nft table, built the way a shell
    /// script would: `ip -batch` per namespace, `sysctl` and `nft -f` through `ip netns exec`.
    private func ipBatchBaseline(_ site: SiteConfig, names: SiteNames) throws -> Double {
        let desired = try Planner.desiredState(for: site, names: names, leases: [:])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vconnector-batch-\(names.key)")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer {
            try? Namespaces.delete(names.connector)
            try? Namespaces.delete(names.fabric)
            try? FileManager.default.removeItem(atPath: directory)
        }
        let root = ["netns add \(names.connector)", "netns add \(names.fabric)"]
        var fabric: [String] = []
        var connector = ["link set lo up"]
        for bridge in Planner.canonical(desired.bridges) {
            fabric += ["link add \(bridge) type bridge", "link set \(bridge) up"]
        }
        for port in desired.ports {
            fabric += [
                "link add \(port.fabricPeer) type veth peer name \(port.name) netns \(names.connector)",
                "link set \(port.fabricPeer) master \(port.bridge) up",
            ]
            connector.append("link set \(port.name) up")
        }
        for (link, cidrs) in desired.addresses.sorted(by: { $0.key < $1.key }) {
            for cidr in cidrs { connector.append("address add \(cidr) brd + dev \(link)") }
        }
        for route in desired.routes {
            let hops = route.nextHops.map { hop in (hop.gateway.map { "via \($0) " } ?? "") + "dev \(hop.interface)" }
            let via = hops.count == 1 ? hops[0] : hops.map { "nexthop \($0)" }.joined(separator: " ")
            connector.append("route add \(route.destination) metric \(route.metric) proto \(route.protocolID) \(via)")
        }
        try desired.ruleset.write(toFile: "\(directory)/ruleset.nft", atomically: true, encoding: .utf8)
        for (name, lines) in [("root", root), ("fabric", fabric), ("connector", connector)] {
            try (lines.joined(separator: "\n") + "\n").write(
                toFile: "\(directory)/\(name).batch", atomically: true, encoding: .utf8)
        }
        let started = ContinuousClock.now
        try Command.run("ip", ["-batch", "\(directory)/root.batch"])
        try Command.run("ip", ["-n", names.fabric, "-batch", "\(directory)/fabric.batch"])
        try Command.run("ip", ["-n", names.connector, "-batch", "\(directory)/connector.batch"])
        try Command.run(in: names.connector, "sysctl", ["-qw", "net.ipv4.ip_forward=1"])
        try Command.run(in: names.connector, "nft", ["-f", "\(directory)/ruleset.nft"])
        return (ContinuousClock.now - started).milliseconds
    }

    private func median(_ values: [Double]) -> Double { Statistics.median(values) }

    private func percentile(_ values: [Double], _ fraction: Double) -> Double {
        Statistics.percentile(values, fraction)
    }
}
