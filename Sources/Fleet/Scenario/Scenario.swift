/// A fleet's incidents (fixtures/fleet/scenario-*.json). Times are offsets from the fleet's start.
public struct Scenario: Sendable, Equatable {
    public var description: String?
    public var incidents: [Incident]

    public init(description: String? = nil, incidents: [Incident]) {
        self.description = description
        self.incidents = incidents
    }

    /// No incident: a quiet fleet.
    public static let quiet = Scenario(incidents: [])
}

/// What happens to a connector.
public enum IncidentKind: String, Sendable, CaseIterable {
    /// A link goes down for `duration`: operstate down, no traffic, carrier and frame errors jump, and the
    /// connector records Reconcile at both ends (its WAN health monitor re-applies the routes).
    case linkFlap = "link_flap"
    /// Anonymous memory crowds out the cache: MemAvailable falls to a few percent, memory PSI rises, swap is used.
    case memoryPressure = "memory_pressure"
    /// The system file system fills to 99.5 % over `duration`, and is freed when it ends.
    case diskFill = "disk_fill"
    /// The CPUs run flat out: load averages above the CPU count, CPU PSI high, drops at the NIC rings.
    case cpuSaturation = "cpu_saturation"
    /// Leave, `duration` down (no snapshots), a new boot time, counters from zero, Init and attestation again.
    case reboot
    /// StartUpgrade, then FinishUpgradeSuccess 45 s later and the new `version` in every record after.
    case upgrade
    /// The edge stops answering one tunnel (`interface`, default `ipsec0`) for `duration`: its probes are lost, it
    /// is down after 2 s, and the agent records Reconcile as it withdraws the tunnel's routes and restores them.
    case tunnelUnhealthy = "tunnel_unhealthy"

    /// Whether `duration` is required (a state that lasts) or optional (reboot: the downtime, 90 s by default).
    var needsDuration: Bool { ![.reboot, .upgrade].contains(self) }
}

/// One incident of a scenario.
public struct Incident: Sendable, Equatable {
    public var kind: IncidentKind
    /// Seconds after the fleet's start.
    public var at: Double
    /// Seconds it lasts (down time for a reboot; none for an upgrade).
    public var duration: Double?
    /// Which connectors, by index (0-based)...
    public var connectors: [Int]?
    /// ...or a fraction of the fleet, chosen by the seed.
    public var fraction: Double?
    /// Connectors start it at `at` plus a share of `spread` seconds each (a rollout, not one instant).
    public var spread: Double
    /// `link_flap`: the link (default: the connector's WAN); `tunnel_unhealthy`: the tunnel's link (default ipsec0).
    public var interface: String?
    /// `upgrade`: the version after it.
    public var version: String?

    public init(
        kind: IncidentKind, at: Double, duration: Double? = nil, connectors: [Int]? = nil, fraction: Double? = nil,
        spread: Double = 0,
        interface: String? = nil, version: String? = nil
    ) {
        self.kind = kind
        self.at = at
        self.duration = duration
        self.connectors = connectors
        self.fraction = fraction
        self.spread = spread
        self.interface = interface
        self.version = version
    }

    /// Whether connector `index` has this incident, and when it starts for it (seconds after the fleet's start).
    /// The choice and the spread are draws from the seed, the incident's place and the connector's index only.
    func start(for index: Int, incidentIndex: Int, seed: UInt64) -> Double? {
        var random = SeededGenerator(seed: seed ^ 0x5CE7_A210, stream: UInt64(incidentIndex) << 32 | UInt64(index))
        let chosen = random.unit()
        if let connectors {
            guard connectors.contains(index) else { return nil }
        } else if chosen >= (fraction ?? 0) {
            return nil
        }
        return at + random.unit() * spread
    }
}
