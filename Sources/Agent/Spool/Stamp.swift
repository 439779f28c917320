/// The sequence of a record: `t` is the recording time (seconds since the epoch, fractional), `n` orders
/// events that share a `t`. Stamps only ever grow, across restarts and clock steps backwards.
public struct Stamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var t: Double
    public var n: UInt64

    public init(t: Double, n: UInt64) {
        self.t = t
        self.n = n
    }

    public static func < (lhs: Stamp, rhs: Stamp) -> Bool { (lhs.t, lhs.n) < (rhs.t, rhs.n) }

    public var description: String { "\(t).\(n)" }

    /// The stamp of an event recorded at `now` after `last`: the clock, but never earlier than `last.t`;
    /// `n` counts up within one `t` and starts at 0 for a new one.
    public static func event(after last: Stamp?, now: Double) -> Stamp {
        guard let last else { return Stamp(t: now, n: 0) }
        if now > last.t { return Stamp(t: now, n: 0) }
        return Stamp(t: last.t, n: last.n + 1)
    }

    /// Smallest step of `t` between two snapshots: 1 µs, so that readers that keep only microseconds (or parse
    /// JSON numbers with one ulp of error, as Foundation's JSONSerialization does) still see distinct times.
    public static let snapshotStep = 0.000_001

    /// The stamp of a snapshot: snapshots are keyed by `t` alone, so `t` is at least `snapshotStep` after `last.t`.
    public static func snapshot(after last: Stamp?, now: Double) -> Stamp {
        guard let last else { return Stamp(t: now, n: 0) }
        return Stamp(t: max(now, last.t + snapshotStep), n: 0)
    }
}
