import Telemetry

/// The baseline of `bench snapshot`: read every file a snapshot reads, parsing nothing.
final class RawReadBaseline {
    let files: KernelFiles
    let paths: [String]

    init(procRoot: String, sysRoot: String, keepOpen: Bool) {
        let files = KernelFiles(procRoot: procRoot, sysRoot: sysRoot, maximumOpenFiles: keepOpen ? 128 : 0)
        self.files = files
        var paths = [
            "stat", "loadavg", "uptime", "meminfo", "pressure/cpu", "pressure/io", "pressure/memory", "diskstats",
            "self/mountinfo", "net/dev", "net/snmp",
        ].map { files.proc($0) }
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
