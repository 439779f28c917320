import ConnectorAPI

/// What the agent has seen that a snapshot does not hold, for `--metrics-listen`: the last snapshot itself, how
/// check-ins and site applies went.
public struct AgentObservations: Sendable {
    /// The snapshot last recorded (with its `t`), nil before the first.
    public var latestSnapshot: Snapshot?
    /// Seconds the last check-in took (success or failure).
    public var lastCheckinSeconds: Double?
    public var checkins: UInt64 = 0
    public var checkinFailures: UInt64 = 0
    /// Operations the last site apply performed (0: the kernel already matched), and when (seconds since epoch).
    public var lastApplyOperations: Int?
    public var lastApplyTime: Double?
    public var applyFailures: UInt64 = 0

    public init() {}
}
