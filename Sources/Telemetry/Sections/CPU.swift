import ConnectorAPI

/// USER_HZ: the unit of /proc/stat CPU times on every Linux architecture we run on.
let userHZ: UInt64 = 100

extension Snapshot {
    /// CPU times (ticks to milliseconds) and kernel counters from /proc/stat.
    mutating func record(_ stat: ProcStat) {
        let columns: [WritableKeyPath<Snapshot, UInt64?>] = [
            \.cpuTimeUserMs, \.cpuTimeNiceMs, \.cpuTimeSystemMs, \.cpuTimeIdleMs, \.cpuTimeIowaitMs,
            \.cpuTimeIrqMs, \.cpuTimeSoftirqMs, \.cpuTimeStealMs, \.cpuTimeGuestMs, \.cpuTimeGuestNiceMs,
        ]
        for (keyPath, ticks) in zip(columns, stat.cpuTicks) {
            self[keyPath: keyPath] = ticks * 1000 / userHZ
        }
        kernelCtxt = stat.contextSwitches
        kernelBtime = stat.bootTime
        systemBootTimeS = stat.bootTime
        kernelProcesses = stat.processesForked
        kernelProcessesRunning = stat.processesRunning
        kernelProcessesBlocked = stat.processesBlocked
    }

    /// Load averages and the runnable/total pair from /proc/loadavg.
    mutating func record(_ load: LoadAverage) {
        loadAverage1m = load.oneMinute
        loadAverage5m = load.fiveMinutes
        loadAverage15m = load.fifteenMinutes
        loadAverageCur = load.runnable
        loadAverageMax = load.total
    }

    /// Uptime and summed idle time from /proc/uptime, in milliseconds.
    mutating func record(_ uptime: Uptime) {
        uptimeTotalMs = UInt64((uptime.totalSeconds * 1000).rounded())
        uptimeIdleMs = UInt64((uptime.idleSeconds * 1000).rounded())
    }
}
