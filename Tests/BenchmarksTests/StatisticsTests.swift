import Testing

@testable import Benchmarks

@Suite("The benchmarks' one statistics helper")
struct StatisticsTests {
    @Test("percentile: the nearest rank to (count - 1) × fraction of the sorted values; 0 for none")
    func percentile() {
        let values = (1...100).map(Double.init).shuffled()
        #expect(Statistics.percentile(values, 0) == 1)
        #expect(Statistics.percentile(values, 1) == 100)
        #expect(Statistics.percentile(values, 0.99) == 99)
        #expect(Statistics.median([5, 1, 3]) == 3)
        #expect(Statistics.median([]) == 0)
    }

    @Test("Duration in seconds and milliseconds, attoseconds included; rounding to decimal places")
    func units() {
        #expect(Duration.milliseconds(1500).seconds == 1.5)
        #expect(Duration.microseconds(2500).milliseconds == 2.5)
        #expect(Statistics.rounded(2.34567, places: 2) == 2.35)
        #expect(Statistics.rounded(19.66, places: 1) == 19.7)
    }
}
