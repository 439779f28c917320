import ConnectorAPI
import Foundation
import Logging

/// The backlog an outage leaves, delivered: `count` snapshots appended to a fresh spool (the agent's real append,
/// one committed transaction each, stamped 10 s apart as if recorded during the outage), then drained by the
/// agent's transmitter into the API at `configuration.apiBase`, timed.
public enum DrainBenchmark {
    public struct Result: Sendable {
        public var snapshots: Int
        public var fillSeconds: Double
        public var drainSeconds: Double
        public var delivered: UInt64
        public var drained: Bool
        public var snapshotBytes: Int
    }

    public static func run(configuration: AgentConfiguration, count: Int, snapshot: Snapshot, logger: Logger) async throws -> Result {
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
        let client = APIClient(
            base: URL(string: configuration.apiBase)!, accountID: configuration.accountID, connectorID: configuration.connectorID,
            token: configuration.apiToken, requestTimeout: configuration.requestTimeout
        )
        let statistics = StatisticsBox()
        let transmitter = Transmitter(spool: spool, client: client, statistics: statistics, batchSize: configuration.batchSize, logger: logger)
        let drainStart = ContinuousClock.now
        let result = await transmitter.drain()
        let drainSeconds = (ContinuousClock.now - drainStart).seconds
        return Result(
            snapshots: count, fillSeconds: fillSeconds, drainSeconds: drainSeconds, delivered: statistics.value.delivered,
            drained: result == .drained, snapshotBytes: bytes
        )
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
