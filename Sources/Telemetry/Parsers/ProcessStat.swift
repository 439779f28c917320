/// /proc/PID/stat: "1234 (name with spaces) S 1 ... utime stime ...": the CPU time a process has used.
public struct ProcessStat: Equatable, Sendable {
    /// Field 14: ticks (USER_HZ) in user mode.
    public var userTicks: UInt64
    /// Field 15: ticks (USER_HZ) in kernel mode.
    public var systemTicks: UInt64

    /// User + system time in seconds (USER_HZ is 100).
    public var cpuSeconds: Double { Double(userTicks + systemTicks) / 100 }

    public static func parse(_ text: String) throws -> ProcessStat {
        // The command name may hold spaces and parentheses: fields are counted from the last ')'.
        guard let close = text.lastIndex(of: ")") else { throw ParseError("no ')' after the command name") }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
        guard fields.count > 12 else { throw ParseError("\(fields.count + 2) fields, expected at least 15") }
        guard let user = UInt64(fields[11]), let system = UInt64(fields[12]) else {
            throw ParseError("utime '\(fields[11])' and stime '\(fields[12])' are not tick counts")
        }
        return ProcessStat(userTicks: user, systemTicks: system)
    }
}
