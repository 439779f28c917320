/// The "Name:   1234 kB" files of a process: /proc/PID/status (VmRSS, VmHWM...) and /proc/PID/smaps_rollup
/// (Rss, Pss, Anonymous...). Lines without a kB value (Name, State, the rollup's address header) are skipped.
public struct ProcessMemory: Equatable, Sendable {
    /// Kilobytes by field name, without the colon.
    public var kilobytes: [String: UInt64]

    /// VmRSS of /proc/PID/status in megabytes.
    public var residentMegabytes: Double? { megabytes("VmRSS") }

    /// A field in megabytes (MiB), nil when the file has no such field.
    public func megabytes(_ field: String) -> Double? { kilobytes[field].map { Double($0) / 1024 } }

    public static func parse(_ text: String) -> ProcessMemory {
        var kilobytes: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 3, parts[0].hasSuffix(":"), parts[2] == "kB", let value = UInt64(parts[1]) else {
                continue
            }
            kilobytes[String(parts[0].dropLast())] = value
        }
        return ProcessMemory(kilobytes: kilobytes)
    }
}
