import ConnectorAPI
import SiteNetwork

/// A connector's IPsec tunnels to the edge and their health as the agent reports it (`tunnels[]`): one or two
/// tunnels (`ipsec0`, `ipsec1`), probed once a second; a snapshot shows the last `window` probes and the state
/// they give, by the agent's own rule (SiteNetwork's TunnelHealth: down after `threshold` lost in a row, up after
/// `threshold` answered in a row, degraded when some recent ones were lost).
///
/// A probe's outcome is a pure function of its second: lost while a `tunnel_unhealthy` incident holds the tunnel,
/// while a `link_flap` holds the WAN it rides, before the agent's first probe after boot, or by a rare random loss
/// drawn from the seed. So the model keeps no state, and reboots and shards cannot change it.
struct TunnelModel: Sendable {
    /// The agent's own numbers: the probes a snapshot counts, the lost (or answered) run that turns a tunnel
    /// down (or up), and the states' names by value.
    static let window = TunnelHealth.window
    static let threshold = WANHealthMonitor.threshold
    static let states = TunnelHealth.states
    /// Seconds from boot until the agent has applied the site and probes its tunnels.
    static let firstProbeAfterBoot = 20.0
    /// A lost probe now and then: the internet between the connector and the edge.
    static let lossRate = 0.0005

    struct Tunnel: Sendable {
        var link: String
        var id: String
        var probedMTU: Int
    }

    let tunnels: [Tunnel]
    private let wan: String?
    private let seed: UInt64
    private let index: Int

    init(shape: ConnectorShape, seed: UInt64) {
        var random = SeededGenerator(seed: seed ^ 0x7E_4411, stream: UInt64(shape.index))
        // Two thirds of the sites run a primary and a backup tunnel, as the Magic WAN docs recommend.
        let count = random.unit() < 2.0 / 3 ? 2 : 1
        tunnels = (0..<count).map { number in
            let id = String(random.next(), radix: 16).leftPadded(to: 16) + String(random.next(), radix: 16).leftPadded(to: 16)
            // The path MTU of ESP-in-UDP over the WAN: 1400 behind a PPPoE or a tunnelled uplink, up to 1446.
            return Tunnel(link: "ipsec\(number)", id: id, probedMTU: random.pick([1400, 1420, 1436, 1438, 1446]))
        }
        wan = shape.nic(.wan)?.name
        self.seed = seed
        self.index = shape.index
    }

    /// `tunnels[]` at `t` for a machine that booted at `bootTime`, given the incidents.
    func fill(_ snapshot: inout Snapshot, at t: Double, bootTime: Double, windows: [IncidentWindow]) {
        snapshot.tunnels = tunnels.enumerated().map { number, tunnel in
            func answered(_ second: Double) -> Bool? {
                guard second >= bootTime + Self.firstProbeAfterBoot else { return nil }
                for window in windows where window.contains(second) {
                    if window.kind == .tunnelUnhealthy, (window.interface ?? "ipsec0") == tunnel.link { return false }
                    if window.kind == .linkFlap, (window.interface ?? wan) == wan { return false }
                }
                var draw = SeededGenerator(
                    seed: seed ^ UInt64(second) &* 0x9E37_79B9_7F4A_7C15, stream: UInt64(index) << 8 | UInt64(number))
                return draw.unit() >= Self.lossRate
            }
            let now = t.rounded(.down)
            let recent = (0..<Self.window).reversed().compactMap { answered(now - Double($0)) }
            var entry = Snapshot.Tunnel(healthState: "unknown", healthValue: 0, interfaceName: tunnel.link, tunnelId: tunnel.id)
            entry.recentHealthyPings = recent.filter { $0 }.count
            entry.recentUnhealthyPings = recent.filter { !$0 }.count
            if !recent.isEmpty {
                entry.healthValue = isDown(at: now, answered: answered) ? 3 : (recent.allSatisfy { $0 } ? 1 : 2)
                entry.probedMtu = tunnel.probedMTU
            }
            entry.healthState = Self.states[entry.healthValue]
            return entry
        }
    }

    /// The agent's hysteresis: the newest run of `threshold` equal outcomes decides (lost: down, answered: up).
    private func isDown(at now: Double, answered: (Double) -> Bool?) -> Bool {
        var run = 0
        var last: Bool?
        var second = now
        // A minute back is far beyond any plausible alternation of single losses.
        while second > now - 60, let outcome = answered(second) {
            run = outcome == last ? run + 1 : 1
            last = outcome
            if run == Self.threshold { return !outcome }
            second -= 1
        }
        return false
    }
}
