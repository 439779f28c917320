import ConnectorAPI

/// /proc/stat's cpu line as a model: the ten times in whole milliseconds, whose sum is exactly uptime x CPUs
/// (every millisecond of every CPU is spent in one state; guest time is inside user time, so it stays 0).
struct CPUTimes: Sendable {
    var user: UInt64 = 0, nice: UInt64 = 0, system: UInt64 = 0, idle: UInt64 = 0, iowait: UInt64 = 0
    var irq: UInt64 = 0, softirq: UInt64 = 0, steal: UInt64 = 0

    var total: UInt64 { user + nice + system + idle + iowait + irq + softirq + steal }

    /// Spends `milliseconds` of `cpus` CPUs at busy fraction `busy`: idle takes what the busy states leave, so
    /// the sum grows by exactly milliseconds x cpus.
    mutating func spend(milliseconds: UInt64, cpus: Int, busy: Double, iowaitFraction: Double, stealFraction: Double) {
        let all = milliseconds * UInt64(cpus)
        let busyTime = Double(all) * busy
        let parts: [UInt64] = [
            UInt64(busyTime * 0.68), UInt64(busyTime * 0.02), UInt64(busyTime * 0.2), UInt64(busyTime * 0.01),
            UInt64(busyTime * 0.09), UInt64(Double(all) * stealFraction), UInt64(Double(all) * iowaitFraction),
        ]
        let spent = parts.reduce(0, +)
        user += parts[0]
        nice += parts[1]
        system += parts[2]
        irq += parts[3]
        softirq += parts[4]
        steal += parts[5]
        iowait += parts[6]
        idle += all > spent ? all - spent : 0
    }

    func fill(_ snapshot: inout Snapshot) {
        snapshot.cpuTimeUserMs.replace(with: user)
        snapshot.cpuTimeNiceMs.replace(with: nice)
        snapshot.cpuTimeSystemMs.replace(with: system)
        snapshot.cpuTimeIdleMs.replace(with: idle)
        snapshot.cpuTimeIowaitMs.replace(with: iowait)
        snapshot.cpuTimeIrqMs.replace(with: irq)
        snapshot.cpuTimeSoftirqMs.replace(with: softirq)
        snapshot.cpuTimeStealMs.replace(with: steal)
        snapshot.cpuTimeGuestMs.replace(with: 0)
        snapshot.cpuTimeGuestNiceMs.replace(with: 0)
        // /proc/uptime's second figure is the idle time summed over CPUs.
        snapshot.uptimeIdleMs.replace(with: idle)
    }
}

extension Optional {
    /// Sets the value only where the profile's kernel reports the field: a field its template lacks stays absent,
    /// so a virtual connector keeps its real host's shape (no PSI on a 4.x kernel, no hwmon without sensors).
    mutating func replace(with value: Wrapped) {
        if self != nil { self = value }
    }
}
