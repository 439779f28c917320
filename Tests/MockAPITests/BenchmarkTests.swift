import Logging
import Testing
import Benchmarks

@Suite("Benchmark")
struct BenchmarkTests {
    @Test(arguments: [false, true])
    func aShortRunMeasuresEveryFigureWithoutFailures(tinyStoredBodies: Bool) async throws {
        var options = MockAPIBenchmark.Options()
        options.tinyStoredBodies = tinyStoredBodies
        options.clients = 4
        options.seconds = 0.3
        options.warmup = 0.1
        options.storedSnapshots = 500
        options.readRequests = 40
        options.readClients = 2
        var logger = Logger(label: "test.bench")
        logger.logLevel = .warning
        let result = try await MockAPIBenchmark(options: options, logger: logger).run()
        #expect(result.failures == 0)
        #expect(result.snapshotIngestsPerSecond > 0)
        #expect(result.snapshotIngestsPerCPUSecond > 0)
        #expect(result.eventsPerSecond > 0)
        #expect(result.listP50Milliseconds > 0 && result.listP99Milliseconds >= result.listP50Milliseconds)
        #expect(result.latestP50Milliseconds > 0 && result.latestP99Milliseconds >= result.latestP50Milliseconds)
        #expect(result.snapshotBytes > 5000, "the documented example with every field is posted")
        #expect(result.storedSnapshots == 500 && result.storedBodies == (tinyStoredBodies ? "tiny" : "full"))
    }
}
