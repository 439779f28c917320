/// The one definition of the figures every benchmark reports.
enum Statistics {
    /// The value at `fraction` (0...1) of the sorted values, the nearest rank to (count - 1) × fraction;
    /// 0 for no values.
    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
    }

    static func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

    /// `value` rounded to `places` decimal places, for a JSON line people read.
    static func rounded(_ value: Double, places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}

