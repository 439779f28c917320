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
            encoding), medians and p99, and two baselines measured in the same run that only read the raw \
            source files without parsing: with the files kept open (as the collector does) and with an \
            open/read/close per file; the ratio to the first, and the process's peak RSS. Build with \
            scripts/build-release for the figures in README.md (static, non-PIE: fewer dirty pages).

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

        let result: [String: Any] = [
            "benchmark": "snapshot",
            "iterations": iterations,
            "collect_wall_us_median": collect.wall.median, "collect_wall_us_p99": collect.wall.p99,
            "collect_cpu_us_median": collect.cpu.median, "collect_cpu_us_p99": collect.cpu.p99,
            "collect_encode_cpu_us_median": collectEncode.cpu.median,
            "raw_read_cpu_us_median": raw.cpu.median, "raw_read_files": baseline.paths.count,
            "raw_read_open_close_cpu_us_median": rawOpenClose.cpu.median,
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

/// The baseline: read every file a snapshot reads, parsing nothing.
final class RawReadBaseline {
    let files: KernelFiles
    let paths: [String]

    init(procRoot: String, sysRoot: String, keepOpen: Bool) {
        let files = KernelFiles(procRoot: procRoot, sysRoot: sysRoot, maximumOpenFiles: keepOpen ? 128 : 0)
        self.files = files
        var paths = ["stat", "loadavg", "uptime", "meminfo", "pressure/cpu", "pressure/io", "pressure/memory", "diskstats",
                     "self/mountinfo", "net/dev", "net/snmp"].map { files.proc($0) }
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
