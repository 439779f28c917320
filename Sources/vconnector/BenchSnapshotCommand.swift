import ArgumentParser
import ConnectorAPI
import Foundation
import Telemetry

struct BenchSnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Measure the cost of one full snapshot of this host.",
        discussion: """
            Prints one JSON line: wall and CPU microseconds per full snapshot (collect, and collect plus JSON \
            encoding), medians and p99, the same for a baseline that only reads the raw source files \
            (no parsing) in the same run, their ratio, and the process's peak RSS.

            Example:
              vconnector bench snapshot --iterations 2000
            """
    )

    @Option(help: "Measured snapshots (after a warm-up of a tenth as many).")
    var iterations = 1000

    @Option(help: ArgumentHelp("Measure the network of this namespace instead of the host's.", valueName: "name"))
    var netns: String?

    func validate() throws {
        guard iterations >= 10 else { throw ValidationError("--iterations must be at least 10") }
    }

    func run() throws {
        var options = CollectorOptions()
        options.networkNamespace = netns
        let collector = try SnapshotCollector(options: options)
        let encoder = SnapshotJSON.encoder(pretty: false)
        let baseline = RawReadBaseline(procRoot: options.procRoot, sysRoot: options.sysRoot)
        var warnings = 0

        for _ in 0..<max(1, iterations / 10) {
            _ = collector.collect()
            baseline.readAll()
        }
        var collect = Samples(), collectEncode = Samples(), raw = Samples()
        var bytes = 0
        for _ in 0..<iterations {
            collect.measure { warnings += collector.collect().warnings.count }
            collectEncode.measure { bytes = (try? encoder.encode(collector.collect().snapshot).count) ?? 0 }
            raw.measure { baseline.readAll() }
        }

        let result: [String: Any] = [
            "benchmark": "snapshot",
            "iterations": iterations,
            "collect_wall_us_median": collect.wall.median, "collect_wall_us_p99": collect.wall.p99,
            "collect_cpu_us_median": collect.cpu.median, "collect_cpu_us_p99": collect.cpu.p99,
            "collect_encode_cpu_us_median": collectEncode.cpu.median,
            "raw_read_cpu_us_median": raw.cpu.median, "raw_read_files": baseline.paths.count,
            "ratio_collect_cpu_to_raw_read": raw.cpu.median > 0 ? collect.cpu.median / raw.cpu.median : 0,
            "snapshot_json_bytes": bytes,
            "peak_rss_mb": Samples.peakResidentMegabytes(),
            "warnings": warnings,
        ]
        let line = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: line, as: UTF8.self))
    }
}

/// Wall and process-CPU microseconds of repeated runs.
struct Samples {
    var wall = Series()
    var cpu = Series()

    mutating func measure(_ body: () -> Void) {
        let wallStart = Self.now(CLOCK_MONOTONIC), cpuStart = Self.now(CLOCK_PROCESS_CPUTIME_ID)
        body()
        wall.values.append(Self.now(CLOCK_MONOTONIC) - wallStart)
        cpu.values.append(Self.now(CLOCK_PROCESS_CPUTIME_ID) - cpuStart)
    }

    static func now(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) * 1_000_000 + Double(time.tv_nsec) / 1000
    }

    /// Peak resident set size of this process, from getrusage (kilobytes on Linux).
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return (Double(usage.ru_maxrss) / 1024 * 10).rounded() / 10
    }

    struct Series {
        var values: [Double] = []
        var median: Double { percentile(0.5) }
        var p99: Double { percentile(0.99) }

        func percentile(_ fraction: Double) -> Double {
            guard !values.isEmpty else { return 0 }
            let sorted = values.sorted()
            let value = sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
            return (value * 10).rounded() / 10
        }
    }
}

/// The baseline: read (open, read, close) every file a snapshot reads, parsing nothing.
final class RawReadBaseline {
    let files: KernelFiles
    let paths: [String]

    init(procRoot: String, sysRoot: String) {
        let files = KernelFiles(procRoot: procRoot, sysRoot: sysRoot)
        self.files = files
        var paths = ["stat", "loadavg", "uptime", "meminfo", "pressure/cpu", "pressure/io", "pressure/memory", "diskstats",
                     "self/mountinfo", "net/dev", "net/snmp", "sys/kernel/ostype", "sys/kernel/arch"].map { files.proc($0) }
        paths.append(files.sys("devices/system/cpu/online"))
        for zone in files.entries(of: files.sys("class/thermal")) where zone.hasPrefix("thermal_zone") {
            paths.append(files.sys("class/thermal/\(zone)/temp"))
        }
        for chip in files.entries(of: files.sys("class/hwmon")) {
            for input in files.entries(of: files.sys("class/hwmon/\(chip)")) where input.hasSuffix("_input") {
                paths.append(files.sys("class/hwmon/\(chip)/\(input)"))
            }
        }
        self.paths = paths.filter { files.exists($0) }
    }

    func readAll() {
        for path in paths { _ = try? files.withContents(of: path) { $0.count } }
    }
}
