import ConnectorAPI
import Foundation
import Telemetry

/// `vconnector bench snapshot`: the cost of one full snapshot of this host, against reading the same raw files.
public struct SnapshotBenchmark {
    /// Measured snapshots (after a warm-up of a tenth as many).
    public var iterations: Int
    /// Measure the network of this namespace instead of the host's.
    public var networkNamespace: String?

    public init(iterations: Int, networkNamespace: String? = nil) {
        self.iterations = iterations
        self.networkNamespace = networkNamespace
    }

    /// The figures, by the JSON key `bench snapshot` prints.
    public func run() throws -> [String: Any] {
        var options = CollectorOptions()
        options.networkNamespace = networkNamespace
        let collector = try SnapshotCollector(options: options)
        // The form `vconnector snapshot` prints and the agent sends.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let baseline = RawReadBaseline(procRoot: options.procRoot, sysRoot: options.sysRoot, keepOpen: true)
        let openCloseBaseline = RawReadBaseline(procRoot: options.procRoot, sysRoot: options.sysRoot, keepOpen: false)
        var warnings = 0

        for _ in 0..<max(1, iterations / 10) {
            _ = collector.collect()
            baseline.readAll()
            openCloseBaseline.readAll()
        }
        var collect = Samples(), collectEncode = Samples(), raw = Samples(), rawOpenClose = Samples()
        var bytes = 0
        for _ in 0..<iterations {
            collect.measure { warnings += collector.collect().warnings.count }
            collectEncode.measure { bytes = (try? encoder.encode(collector.collect().snapshot).count) ?? 0 }
            raw.measure { baseline.readAll() }
            rawOpenClose.measure { openCloseBaseline.readAll() }
        }
        func figure(_ values: [Double], _ fraction: Double = 0.5) -> Double {
            Statistics.rounded(Statistics.percentile(values, fraction), places: 1)
        }
        let collectCPU = figure(collect.cpu), rawCPU = figure(raw.cpu)
        return [
            "benchmark": "snapshot",
            "iterations": iterations,
            "collect_wall_us_median": figure(collect.wall), "collect_wall_us_p99": figure(collect.wall, 0.99),
            "collect_cpu_us_median": collectCPU, "collect_cpu_us_p99": figure(collect.cpu, 0.99),
            "collect_encode_cpu_us_median": figure(collectEncode.cpu),
            "raw_read_cpu_us_median": rawCPU, "raw_read_files": baseline.paths.count,
            "raw_read_open_close_cpu_us_median": figure(rawOpenClose.cpu),
            "ratio_collect_cpu_to_raw_read": rawCPU > 0 ? collectCPU / rawCPU : 0,
            "snapshot_json_bytes": bytes,
            "peak_rss_mb": ProcessUsage.peakResidentMegabytes(),
            "warnings": warnings,
        ]
    }
}
