import Foundation

/// Xoshiro256** seeded through SplitMix64: fast, small, and the same numbers on every machine and Swift version
/// (the standard library's generator is neither seedable nor stable). One stream per (seed, stream) pair, so each
/// connector draws its own numbers and adding a connector never changes another's telemetry.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64, stream: UInt64 = 0) {
        // SplitMix64 spreads the two words over the 256-bit state (Xoshiro's authors' recommended seeding).
        var mix = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        func next() -> UInt64 {
            mix &+= 0x9E37_79B9_7F4A_7C15
            var z = mix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 { (value << count) | (value >> (64 - count)) }

    /// Uniform in [0, 1), 53 bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    /// Standard normal (Box-Muller; one of the pair is dropped to keep the state a plain value).
    public mutating func gaussian() -> Double {
        let u1 = max(unit(), 0x1.0p-53)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A count of events at `mean` per draw (Poisson: Knuth's product for small means, normal beyond 30).
    public mutating func poisson(_ mean: Double) -> UInt64 {
        guard mean > 0 else { return 0 }
        if mean > 30 { return UInt64(max(0, (mean + mean.squareRoot() * gaussian()).rounded())) }
        let limit = exp(-mean)
        var product = unit()
        var count: UInt64 = 0
        while product > limit {
            count += 1
            product *= unit()
        }
        return count
    }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
}
