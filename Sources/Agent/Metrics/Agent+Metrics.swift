import ConnectorAPI
import Foundation

extension Agent {
    /// The last snapshot, check-in and apply as observed so far.
    public var observations: AgentObservations { observationsBox.withLock { $0 } }

    /// The Prometheus exposition `--metrics-listen` serves: the last recorded snapshot plus the agent's own state.
    public func metricsExposition() -> [UInt8] {
        let observations = self.observations
        let agent = SnapshotMetrics.Agent(
            statistics: statistics, observations: observations, spoolDepth: try? spool.count(), version: device.currentVersion
        )
        return SnapshotMetrics.exposition(snapshot: observations.latestSnapshot, agent: agent)
    }

    func noteCheckin(seconds: Double, failed: Bool) {
        observationsBox.withLock {
            $0.checkins += 1
            if failed { $0.checkinFailures += 1 }
            $0.lastCheckinSeconds = seconds
        }
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
