import ConnectorAPI
import Foundation

/// What the tunnel health monitor last saw of each tunnel, kept in `<state>/tunnel-health.json`: the input of
/// the next apply (a down tunnel's routes are withdrawn) and of the snapshot's `tunnels[]`.
///
/// The health of a tunnel, from its recent probes (the last `window`):
/// - `unknown` (0): no probe yet;
/// - `healthy` (1): every recent probe answered;
/// - `degraded` (2): some recent probes were lost, but not the last `threshold` in a row;
/// - `down` (3): the last `threshold` probes were lost (its routes are withdrawn until `threshold` answer again).
public struct TunnelHealth: Codable, Sendable, Equatable {
    /// Probes the "recent" counts of a snapshot cover.
    public static let window = 10
    public static let states = ["unknown", "healthy", "degraded", "down"]

    /// One tunnel, by its link (`ipsec0`).
    public struct Entry: Codable, Sendable, Equatable {
        public var name: String?
        public var tunnelId: String?
        /// The last probes' outcomes, oldest first (at most `window`).
        public var results: [Bool] = []
        public var down = false
        /// The largest DF probe that crossed the tunnel, in bytes of IP packet.
        public var probedMTU: Int?

        public var healthValue: Int {
            if results.isEmpty { return 0 }
            if down { return 3 }
            return results.allSatisfy { $0 } ? 1 : 2
        }

        enum CodingKeys: String, CodingKey {
            case name, results, down
            case tunnelId = "tunnel_id"
            case probedMTU = "probed_mtu"
        }
    }

    public var tunnels: [String: Entry] = [:]

    public init(tunnels: [String: Entry] = [:]) { self.tunnels = tunnels }

    static func file(_ names: SiteNames) -> String { "\(names.stateDirectory)/tunnel-health.json" }

    /// The recorded health, empty when there is none (or it does not parse: it is re-made by the next probes).
    public static func read(_ names: SiteNames) -> TunnelHealth {
        guard let data = FileManager.default.contents(atPath: file(names)),
            let health = try? JSONDecoder().decode(TunnelHealth.self, from: data)
        else { return TunnelHealth() }
        return health
    }

    func write(_ names: SiteNames) throws {
        let data = try JSONEncoder().encode(self)
        try Daemons.write(String(decoding: data, as: UTF8.self), to: Self.file(names), mode: 0o600)
    }

    /// The tunnel links found down: an input of the desired state, like the DHCP leases.
    static func down(_ names: SiteNames) -> Set<String> { Set(read(names).tunnels.filter(\.value.down).keys) }

    /// The snapshot's `tunnels[]` for the site's tunnels (in config order): what the monitor recorded, and
    /// `unknown` for a tunnel it has not probed yet.
    public static func snapshotTunnels(_ config: SiteConfig, names: SiteNames) -> [Snapshot.Tunnel] {
        let health = read(names)
        return config.ipsecTunnels.enumerated().map { index, tunnel in
            let link = SiteNames.tunnelLink(index)
            let entry = health.tunnels[link] ?? Entry()
            var item = Snapshot.Tunnel(
                healthState: states[entry.healthValue], healthValue: entry.healthValue, interfaceName: link,
                tunnelId: tunnel.id ?? tunnel.name ?? link)
            item.recentHealthyPings = entry.results.filter { $0 }.count
            item.recentUnhealthyPings = entry.results.filter { !$0 }.count
            item.probedMtu = entry.probedMTU
            return item
        }
    }
}
