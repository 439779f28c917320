/// Capped exponential backoff with jitter: attempt k waits a random time in [d/2, d], d = min(cap, initial * 2^k).
public struct Backoff: Sendable {
    public var initial: Double
    public var cap: Double
    private(set) var attempt = 0

    public init(initial: Double, cap: Double) {
        self.initial = initial
        self.cap = max(cap, initial)
    }

    /// The next delay in seconds; each call doubles the ceiling up to `cap`.
    public mutating func next<R: RandomNumberGenerator>(using generator: inout R) -> Double {
        let ceiling = min(cap, initial * Double(1 << min(attempt, 30)))
        attempt += 1
        return Double.random(in: (ceiling / 2)...ceiling, using: &generator)
    }

    public mutating func next() -> Double {
        var generator = SystemRandomNumberGenerator()
        return next(using: &generator)
    }

    /// Back to the initial delay after a success.
    public mutating func reset() { attempt = 0 }
}
