import ConnectorAPI

/// Everything that decides a fleet's telemetry. Two runs with the same plan (and the same profiles) record the
/// same bytes, whatever the machine, the sinks or the pacing.
public struct FleetPlan: Sendable {
    public var connectors: Int
    public var seed: UInt64
    /// Seconds between two snapshots of a connector.
    public var interval: Double
    /// Simulated time of the start (seconds since the epoch).
    public var start: Double
    /// Simulated time to stop at; nil runs until stopped.
    public var end: Double?
    /// Simulated seconds per wall second; nil: real time, except that a start in the past is caught up at full speed.
    public var speed: Double?
    public var scenario: Scenario
    public var profiles: [HostProfile]
    /// The version the connectors run before any upgrade.
    public var version: String
    /// Which of the fleet's connectors this process runs.
    public var shard: FleetShard

    public init(
        connectors: Int, seed: UInt64, interval: Double, start: Double, end: Double? = nil, speed: Double? = nil,
        scenario: Scenario = .quiet, profiles: [HostProfile], version: String = VConnectorVersion.current,
        shard: FleetShard = .whole
    ) {
        self.connectors = connectors
        self.seed = seed
        self.interval = interval
        self.start = start
        self.end = end
        self.speed = speed
        self.scenario = scenario
        self.profiles = profiles
        self.version = version
        self.shard = shard
    }

    /// The indices of the connectors this process runs (every one unless the fleet is sharded).
    public var members: [Int] { shard.members(of: connectors) }

    /// The profile of connector `index`: a draw from the seed, so the fleet mixes every profile.
    func profile(of index: Int) -> HostProfile {
        var random = SeededGenerator(seed: seed ^ 0x9F0F_11E5, stream: UInt64(index))
        return random.pick(profiles)
    }

    /// Ids for connectors that have none from the API: 32 hex digits (the API's shape), from the seed.
    public func offlineID(of index: Int) -> String {
        var random = SeededGenerator(seed: seed ^ 0x1D5, stream: UInt64(index))
        return String(random.next(), radix: 16).leftPadded(to: 16) + String(random.next(), radix: 16).leftPadded(to: 16)
    }

    /// Problems with the plan, each a sentence; empty when it can run.
    public func problems() -> [String] {
        var problems: [String] = []
        if connectors < 1 { problems.append("--connectors must be at least 1") }
        if !(interval >= 0.1) { problems.append("--interval must be at least 100ms") }
        if let speed, !(speed > 0 && speed.isFinite) { problems.append("--speed must be more than 0") }
        if let end, end <= start { problems.append("--to must be after the start (--from, or now)") }
        if profiles.isEmpty { problems.append("no host profile") }
        if connectors >= 1 && members.isEmpty {
            problems.append("--shard \(shard) of \(connectors) connectors has none (at most \(connectors) shards)")
        }
        do { try ScenarioFile.check(scenario, connectorCount: connectors) } catch {
            problems.append("scenario: \(error)")
        }
        return problems
    }
}
