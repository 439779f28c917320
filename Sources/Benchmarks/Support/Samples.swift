#if canImport(Glibc)
import Glibc
#endif

/// Wall and process-CPU microseconds of repeated runs.
struct Samples {
    var wall: [Double] = []
    var cpu: [Double] = []

    mutating func measure(_ body: () -> Void) {
        let wallStart = Self.now(CLOCK_MONOTONIC), cpuStart = Self.now(CLOCK_PROCESS_CPUTIME_ID)
        body()
        wall.append(Self.now(CLOCK_MONOTONIC) - wallStart)
        cpu.append(Self.now(CLOCK_PROCESS_CPUTIME_ID) - cpuStart)
    }

    /// Microseconds on `clock`.
    static func now(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) * 1_000_000 + Double(time.tv_nsec) / 1000
    }
}

/// This process's resources, from getrusage.
enum ProcessUsage {
    /// Peak resident set size in megabytes (ru_maxrss is in kilobytes on Linux), one decimal.
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Statistics.rounded(Double(usage.ru_maxrss) / 1024, places: 1)
    }

    /// User + system CPU seconds so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
