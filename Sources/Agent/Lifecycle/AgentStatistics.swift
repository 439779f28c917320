import Synchronization
import Telemetry

/// What the agent has done since it started: the snapshot counters plus delivery tallies.
public struct AgentStatistics: Sendable, Equatable {
    /// The counters reported in every snapshot (`count_transmit_failures`, ...).
    public var counters = AgentCounters()
    /// Records written to the spool.
    public var recorded: UInt64 = 0
    /// Records the API acknowledged (and that were then removed from the spool).
    public var delivered: UInt64 = 0
    /// Records the API refused as invalid (400/413/422 when sent alone); dropped from the spool.
    public var rejected: UInt64 = 0
    /// Records reclaimed while a send of them was in flight, then acknowledged: counted both in
    /// `counters.reclaimedPaths` and in `delivered`.
    public var reclaimedInFlight: UInt64 = 0
    /// Corrupt spool databases moved aside (and replaced by a new one) since the start.
    public var spoolsMovedAside: UInt64 = 0

    public init() {}
}

/// The statistics, shared by the agent's tasks.
package final class StatisticsBox: Sendable {
    private let state = Mutex(AgentStatistics())

    package init() {}

    package func update(_ body: (inout AgentStatistics) -> Void) { state.withLock { body(&$0) } }
    package var value: AgentStatistics { state.withLock { $0 } }
}
