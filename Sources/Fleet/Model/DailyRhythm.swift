import Foundation

/// The daily pattern of a site: busiest mid-afternoon local time, quietest around 03:00, weekends at about half.
/// Every gauge that follows human activity (CPU, traffic, DHCP clients) scales with `level(at:)`.
struct DailyRhythm: Sendable {
    /// The site's offset from UTC, in hours.
    let utcOffsetHours: Double

    /// 0 at the daily low, 1 at a weekday's peak.
    func level(at t: Double) -> Double {
        let local = t + utcOffsetHours * 3600
        let hour = (local / 3600).truncatingRemainder(dividingBy: 24)
        let daily = 0.5 - 0.5 * cos(2 * Double.pi * (hour - 3) / 24)
        // 1970-01-01 was a Thursday: day 2 and 3 of the week counted from it are Saturday and Sunday.
        let weekday = Int((local / 86_400).rounded(.down)) % 7
        return daily * ((weekday == 2 || weekday == 3) ? 0.5 : 1)
    }
}

/// Mean-reverting noise (an Ornstein-Uhlenbeck process, sampled exactly for any step), so a gauge wanders
/// smoothly around its daily value instead of jumping at each snapshot.
struct Wander: Sendable {
    /// How long a deviation lasts, in seconds.
    let correlationSeconds: Double
    /// Standard deviation of the value in the long run.
    let spread: Double
    private(set) var value = 0.0

    init(correlationSeconds: Double, spread: Double) {
        self.correlationSeconds = correlationSeconds
        self.spread = spread
    }

    mutating func step(_ seconds: Double, _ random: inout SeededGenerator) -> Double {
        let keep = exp(-max(seconds, 0) / correlationSeconds)
        value = value * keep + spread * (1 - keep * keep).squareRoot() * random.gaussian()
        return value
    }
}
