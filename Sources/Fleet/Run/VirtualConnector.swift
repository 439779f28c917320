import Agent
import ConnectorAPI
import Foundation

/// One simulated device: its telemetry model, its version, and its lifecycle as the agent records it (Init and
/// attestation at start, Reconcile when a link flaps or a tunnel goes down and up, Leave and Init around a reboot, StartUpgrade and
/// FinishUpgradeSuccess, Leave at shutdown). Events and snapshots share one sequence of stamps, as in the
/// agent's spool (`Stamp.event`, `Stamp.snapshot`).
struct VirtualConnector: Sendable {
    private enum Action: Sendable {
        case start(attested: Bool)
        case event(Event)
        case reboot(downtime: Double)
        case upgraded(version: String)
    }

    let index: Int
    let id: String
    /// Seconds into each interval at which this connector takes its snapshot (connectors do not all tick at once).
    let phase: Double
    private(set) var model: ConnectorModel
    private(set) var version: String
    private var last: Stamp?
    private var actions: [(t: Double, action: Action)] = []
    private var nextAction = 0
    private var downUntil = -Double.infinity
    private(set) var left = false

    init(index: Int, id: String, plan: FleetPlan, profile: HostProfile, attested: Bool) {
        self.index = index
        self.id = id
        var random = SeededGenerator(seed: plan.seed, stream: UInt64(index))
        phase = random.unit() * plan.interval
        let shape = ConnectorShape(index: index, profile: profile, random: &random)
        var windows: [IncidentWindow] = []
        var actions: [(t: Double, action: Action)] = [(plan.start + phase, .start(attested: attested))]
        for (number, incident) in plan.scenario.incidents.enumerated() {
            guard let offset = incident.start(for: index, incidentIndex: number, seed: plan.seed) else { continue }
            let at = plan.start + offset
            let duration = incident.duration ?? 0
            windows.append(
                IncidentWindow(
                    kind: incident.kind, start: at, end: at + duration, interface: incident.interface,
                    version: incident.version))
            switch incident.kind {
            case .linkFlap:
                // The agent's WAN health monitor re-applies the routes when a WAN goes and when it comes back.
                actions += [(at, .event(.reconcile)), (at + duration, .event(.reconcile))]
            case .reboot:
                actions.append((at, .reboot(downtime: incident.duration ?? 90)))
            case .upgrade:
                let target = incident.version ?? plan.version
                actions += [
                    (at, .event(.startUpgrade(url: Self.bundleURL(target)))), (at + 45, .upgraded(version: target)),
                ]
            case .tunnelUnhealthy:
                // Down after `threshold` lost probes a second apart, up after as many answered.
                let detection = Double(TunnelModel.threshold)
                actions += [(at + detection, .event(.reconcile)), (at + duration + detection, .event(.reconcile))]
            case .memoryPressure, .diskFill, .cpuSaturation:
                break
            }
        }
        self.actions = actions.sorted { $0.t < $1.t }
        version = plan.version
        model = ConnectorModel(shape: shape, random: random, start: plan.start, windows: windows, seed: plan.seed)
    }

    /// Where an upgrade's bundle would come from (carried in StartUpgrade's `url`).
    static func bundleURL(_ version: String) -> String {
        "https://downloads.vconnector.invalid/vconnector-\(version).tar.gz"
    }

    /// Everything recorded up to the snapshot due at `t` (the actions before it, then the snapshot unless the
    /// machine is down), encoded with `encoder`.
    mutating func step(snapshotAt t: Double, encoder: RecordEncoder, into records: inout ConnectorRecords) throws {
        guard !left else { return }
        try runActions(until: t, encoder: encoder, into: &records)
        guard t >= downUntil else { return }
        let stamp = Stamp.snapshot(after: last, now: t)
        last = stamp
        let snapshot = model.snapshot(at: stamp.t, version: version)
        records.snapshots.append(try encoder.encode(snapshot))
    }

    /// The fleet stops at `t`: what was due before it, then Leave.
    mutating func leave(at t: Double, encoder: RecordEncoder, into records: inout ConnectorRecords) throws {
        guard !left else { return }
        try runActions(until: t, encoder: encoder, into: &records)
        if t >= downUntil { try record(.leave, at: t, encoder: encoder, into: &records) }
        left = true
    }

    private mutating func runActions(until t: Double, encoder: RecordEncoder, into records: inout ConnectorRecords) throws
    {
        while nextAction < actions.count, actions[nextAction].t <= t {
            let (at, action) = actions[nextAction]
            nextAction += 1
            switch action {
            case .start(let attested):
                try record(.`init`, at: at, encoder: encoder, into: &records)
                try record(.startAttestation, at: at + 0.05, encoder: encoder, into: &records)
                try record(
                    attested ? .finishAttestationSuccess : .finishAttestationFailure, at: at + 0.3, encoder: encoder,
                    into: &records)
            case .event(let event):
                guard at >= downUntil else { continue }
                try record(event, at: at, encoder: encoder, into: &records)
            case .reboot(let downtime):
                guard at >= downUntil else { continue }
                try record(.leave, at: at, encoder: encoder, into: &records)
                downUntil = at + downtime
                // The kernel boots a little before the agent starts again.
                model.reboot(bootTime: max(at, downUntil - 25))
                insert((downUntil, .start(attested: true)))
            case .upgraded(let target):
                version = target
                try record(.finishUpgradeSuccess, at: at, encoder: encoder, into: &records)
            }
        }
    }

    /// The connector took a new site config (the API's check-in): Reconcile at `t`, before the snapshot due then.
    mutating func reconcile(at t: Double) {
        insert((t, .event(.reconcile)))
    }

    private mutating func insert(_ action: (t: Double, action: Action)) {
        let position = actions[nextAction...].firstIndex { $0.t > action.t } ?? actions.endIndex
        actions.insert(action, at: position)
    }

    private mutating func record(
        _ event: Event, at t: Double, encoder: RecordEncoder, into records: inout ConnectorRecords
    ) throws {
        let stamp = Stamp.event(after: last, now: t)
        last = stamp
        records.events.append(try encoder.encode(RecordedEvent(e: event, n: stamp.n, t: stamp.t, v: version)))
    }
}
