/// The sequence of a record: `t` is the recording time (seconds since the epoch, fractional), `n` orders
/// events that share a `t`.
///
/// The rule: `t` follows the wall clock. A clock stepped back by at most `clockStepTolerance` (NTP, a slow RTC)
/// does not move `t` back: it stands still (events count up in `n`, snapshots step by `snapshotStep`) until the
/// clock catches up, so (t, n) keeps growing. A clock behind the last `t` by more than that is taken as the end
/// of a clock that ran ahead (a forward jump then a correction): `t` follows the clock again at once instead of
/// staying pinned in the future for as long as the jump was, and the event keeps counting `n` up from the last
/// one, so it cannot repeat a stamp even at a `t` that was used before.
public struct Stamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var t: Double
    public var n: UInt64

    public init(t: Double, n: UInt64) {
        self.t = t
        self.n = n
    }

    public static func < (lhs: Stamp, rhs: Stamp) -> Bool { (lhs.t, lhs.n) < (rhs.t, rhs.n) }

    public var description: String { "\(t).\(n)" }

    /// Longest step back of the wall clock that `t` waits out (5 minutes); past it `t` starts from the clock again.
    public static let clockStepTolerance: Double = 300

    /// True when a stamp at `now` after `last` starts from the clock again: the clock is behind the last `t` by
    /// more than `clockStepTolerance`.
    public static func restartsFromClock(after last: Stamp?, now: Double) -> Bool {
        guard let last else { return false }
        return last.t - now > clockStepTolerance
    }

    /// The stamp of an event recorded at `now` after `last`: the clock, but never earlier than `last.t` unless the
    /// clock is more than `clockStepTolerance` behind; `n` counts up within one `t` and starts at 0 for a new one.
    public static func event(after last: Stamp?, now: Double) -> Stamp {
        guard let last else { return Stamp(t: now, n: 0) }
        if now > last.t { return Stamp(t: now, n: 0) }
        if restartsFromClock(after: last, now: now) { return Stamp(t: now, n: last.n + 1) }
        return Stamp(t: last.t, n: last.n + 1)
    }

    /// Smallest step of `t` between two snapshots: 1 µs, so that readers that keep only microseconds (or parse
    /// JSON numbers with one ulp of error, as Foundation's JSONSerialization does) still see distinct times.
    public static let snapshotStep = 0.000_001

    /// The stamp of a snapshot: snapshots are keyed by `t` alone, so `t` is at least `snapshotStep` after `last.t`
    /// (unless the clock is more than `clockStepTolerance` behind it: then the clock).
    public static func snapshot(after last: Stamp?, now: Double) -> Stamp {
        guard let last else { return Stamp(t: now, n: 0) }
        if restartsFromClock(after: last, now: now) { return Stamp(t: now, n: 0) }
        return Stamp(t: max(now, last.t + snapshotStep), n: 0)
    }
}
