import Foundation

/// One PSI line (`some` or `full`): the 10 s, 60 s and 300 s averages and the total stall time, updated as the
/// kernel does (exponential averages of the stalled share; the total grows by that share of elapsed time).
struct PressureStall: Sendable {
    var avg10 = 0.0, avg60 = 0.0, avg300 = 0.0
    var totalMicroseconds: UInt64 = 0

    /// `percent` of the last `seconds` was stalled.
    mutating func stall(percent: Double, seconds: Double) {
        let share = min(max(percent, 0), 100)
        avg10 = Self.average(avg10, share, seconds, window: 10)
        avg60 = Self.average(avg60, share, seconds, window: 60)
        avg300 = Self.average(avg300, share, seconds, window: 300)
        totalMicroseconds += UInt64(share / 100 * seconds * 1e6)
    }

    private static func average(_ previous: Double, _ value: Double, _ seconds: Double, window: Double) -> Double {
        let keep = exp(-seconds / window)
        return previous * keep + value * (1 - keep)
    }

    /// The kernel prints two decimals.
    static func printed(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
