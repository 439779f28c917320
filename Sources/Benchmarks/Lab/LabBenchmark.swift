import ConnectorAPI
import Foundation
import Logging
import SiteNetwork

/// `vconnector bench lab`: the wall time of `lab up`, `lab verify` and `lab down` of a site, and the probes per
/// second of verify; each iteration builds the lab afresh (a new site name, so new namespaces) and removes it.
public struct LabBenchmark {
    public var config: SiteConfig
    public var iterations: Int
    public var hostsPerLAN: Int

    public init(config: SiteConfig, iterations: Int, hostsPerLAN: Int = 1) {
        self.config = config
        self.iterations = iterations
        self.hostsPerLAN = hostsPerLAN
    }

    public struct Result: Codable, Sendable {
        public var site: String
        public var iterations: Int
        public var lab_up_s: Double
        public var lab_verify_s: Double
        public var lab_down_s: Double
        public var verify_checks: Int
        public var verify_failed: Int
        public var verify_probes_per_s: Double
        public var target_lab_up_s: Double
        public var target_lab_verify_s: Double
        /// The connector namespace of each iteration's lab (all removed when the benchmark returns).
        public var connector_namespaces: [String]
    }

    public func run(progress: (String) -> Void = { _ in }) throws -> Result {
        let root = BenchStateRoot("lab")
        defer { root.remove() }
        let (quiet, reconciler) = (root.logger, root.reconciler)
        var up: [Double] = [], verify: [Double] = [], down: [Double] = [], rates: [Double] = []
        var checks = 0, failed = 0
        var namespaces: [String] = []
        for iteration in 1...iterations {
            var site = config
            site.site.name = "\(config.site.name ?? "bench")-lab-\(iteration)-\(UInt32.random(in: 0...UInt32.max))"
            site.site.id = nil
            let names = reconciler.names(for: site)
            namespaces.append(names.connector)
            defer { _ = try? reconciler.teardown(names) }
            var started = ContinuousClock.now
            _ = try Lab(reconciler: reconciler, logger: quiet).up(site, hostsPerLAN: hostsPerLAN, timeout: .seconds(30))
            up.append((ContinuousClock.now - started).seconds)
            started = ContinuousClock.now
            let report = try LabVerifier(reconciler: reconciler, logger: quiet).verify(site)
            let took = (ContinuousClock.now - started).seconds
            verify.append(took)
            rates.append(Double(report.checks.count) / max(took, 1e-9))
            (checks, failed) = (report.checks.count + report.dhcp.count, report.failed)
            started = ContinuousClock.now
            _ = try reconciler.teardown(names)
            down.append((ContinuousClock.now - started).seconds)
            progress("iteration \(iteration): up \(Statistics.rounded(up.last!, places: 2)) s, verify \(Statistics.rounded(took, places: 2)) s, \(report.failed) failed")
        }
        return Result(
            site: config.site.name ?? "?", iterations: iterations,
            lab_up_s: Statistics.rounded(Statistics.median(up), places: 3),
            lab_verify_s: Statistics.rounded(Statistics.median(verify), places: 3),
            lab_down_s: Statistics.rounded(Statistics.median(down), places: 3),
            verify_checks: checks, verify_failed: failed,
            verify_probes_per_s: Statistics.rounded(Statistics.median(rates), places: 1),
            target_lab_up_s: 3, target_lab_verify_s: 5, connector_namespaces: namespaces)
    }
}
