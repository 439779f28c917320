import Agent
import ConnectorAPI
import Foundation
import Logging

/// The backlog an outage leaves, delivered: `count` snapshots appended to a fresh spool (the agent's real append,
/// one committed transaction each, stamped 10 s apart as if recorded during the outage), then drained by the
/// agent's transmitter into the API at `configuration.apiBase`, timed.
enum DrainBenchmark {
    struct Result: Sendable {
        var snapshots: Int
        var fillSeconds: Double
        var drainSeconds: Double
        var delivered: UInt64
        var drained: Bool
        var snapshotBytes: Int
    }

    static func run(configuration: AgentConfiguration, count: Int, snapshot: Snapshot, logger: Logger) async throws
        -> Result
    {
        let spool = try Spool(directory: configuration.stateDirectory, limit: count + 1)
        let encoder = Agent.encoder()
        let outageStart = Date().timeIntervalSince1970 - Double(count) * 10
        var bytes = 0
        let fillStart = ContinuousClock.now
        for index in 0..<count {
            _ = try spool.append(.snapshot, now: outageStart + Double(index) * 10) { stamp in
                var stamped = snapshot
                stamped.t = stamp.t
                let body = try encoder.encode(stamped)
                bytes = body.count
                return body
            }
        }
        let fillSeconds = (ContinuousClock.now - fillStart).seconds
        guard let base = URL(string: configuration.apiBase) else {
            throw BenchmarkFailure("not a URL: \(configuration.apiBase)")
        }
        let client = APIClient(
            base: base, accountID: configuration.accountID, connectorID: configuration.connectorID,
            token: configuration.apiToken, requestTimeout: configuration.requestTimeout
        )
        let statistics = StatisticsBox()
        let transmitter = Transmitter(
            spool: spool, client: client, statistics: statistics, batchSize: configuration.batchSize, logger: logger)
        let drainStart = ContinuousClock.now
        let result = await transmitter.drain()
        let drainSeconds = (ContinuousClock.now - drainStart).seconds
        return Result(
            snapshots: count, fillSeconds: fillSeconds, drainSeconds: drainSeconds,
            delivered: statistics.value.delivered,
            drained: result == .drained, snapshotBytes: bytes
        )
    }
}
