/// /proc/stat: aggregate CPU times and kernel activity counters.
public struct ProcStat: Equatable, Sendable {
    /// Aggregate `cpu` line in USER_HZ ticks, in kernel column order
    /// (user nice system idle iowait irq softirq steal guest guest_nice); older kernels have fewer.
    public var cpuTicks: [UInt64] = []
    public var contextSwitches: UInt64?
    public var bootTime: UInt64?
    public var processesForked: UInt64?
    public var processesRunning: UInt64?
    public var processesBlocked: UInt64?

    public init() {}

    public static func parse(_ text: String) throws -> ProcStat { try text.withTextBytes(parse(bytes:)) }

    public static func parse(bytes: TextBytes) throws -> ProcStat {
        var stat = ProcStat()
        var sawCPU = false
        for line in LineIterator(bytes) {
            var fields = FieldReader(line)
            guard let key = fields.next() else { continue }
            if key.equals("cpu") {
                sawCPU = true
                for field in fields.remaining() {
                    guard let ticks = Numbers.uint64(field) else { throw ParseError("cpu: '\(field.string)' is not a tick count") }
                    stat.cpuTicks.append(ticks)
                }
                guard stat.cpuTicks.count >= 4 else { throw ParseError("cpu: \(stat.cpuTicks.count) columns, expected at least 4") }
            } else if key.equals("ctxt") {
                stat.contextSwitches = try fields.uint64("ctxt")
            } else if key.equals("btime") {
                stat.bootTime = try fields.uint64("btime")
            } else if key.equals("processes") {
                stat.processesForked = try fields.uint64("processes")
            } else if key.equals("procs_running") {
                stat.processesRunning = try fields.uint64("procs_running")
            } else if key.equals("procs_blocked") {
                stat.processesBlocked = try fields.uint64("procs_blocked")
            }
        }
        guard sawCPU else { throw ParseError("no aggregate cpu line") }
        return stat
    }
}
