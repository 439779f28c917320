import ConnectorAPI

/// The site's part of a snapshot, the one way it is added: DHCP leases its dnsmasq handed out (read when the
/// snapshot is taken), `delta`, `epsilon`, the emulated bonds, and an HA node's `ha_state`/`ha_value`. The agent makes it after each apply it performs;
/// `vconnector snapshot --netns` from what the last apply recorded on this host.
public struct SiteSnapshotPart: Sendable, Equatable {
    public var names: SiteNames
    /// Operations the last apply performed.
    public var delta: Int?
    /// Operations a dry run predicted: the agent's is its apply's first diff, `recorded`'s a dry run now.
    public var epsilon: Int?
    /// The LANs' bonds, emulated as single links.
    public var bonds: [Snapshot.Bond]
    /// The site's IPsec tunnels (their health is read when the snapshot is taken).
    public var config: SiteConfig?

    public init(names: SiteNames, delta: Int?, epsilon: Int?, bonds: [Snapshot.Bond]) {
        self.names = names
        self.delta = delta
        self.epsilon = epsilon
        self.bonds = bonds
    }

    /// After an apply of `config` in this process: what it performed, what its first diff predicted, the bonds now.
    public init(applied report: ApplyReport, config: SiteConfig) {
        self.init(
            names: report.names, delta: report.operations.count, epsilon: report.predicted,
            bonds: SiteTelemetry.emulatedBonds(config, names: report.names))
        self.config = config
    }

    /// From what the last apply on this host recorded (its record and applied config), and a dry run now; only the
    /// leases when nothing was applied here.
    public static func recorded(_ names: SiteNames, reconciler: SiteReconciler) -> SiteSnapshotPart {
        var names = names
        // `vc-<key>` is an HA site's primary as well as a single connector: its applied config tells.
        if names.node == nil, reconciler.appliedConfig(names)?.site.haMode == true { names = names.node(.primary) }
        var part = SiteSnapshotPart(
            names: names, delta: reconciler.lastApply(names)?.operations, epsilon: nil, bonds: [])
        if let config = reconciler.appliedConfig(names) {
            part.epsilon = (try? reconciler.plan(config, node: names.node))?.count
            part.bonds = SiteTelemetry.emulatedBonds(config, names: names)
            part.config = config
        }
        return part
    }

    /// Adds this part to `snapshot`; the leases are read now. The bonds join any real ones the host reported.
    public func fill(_ snapshot: inout Snapshot) {
        snapshot.dhcpLeases = SiteTelemetry.dhcpLeases(names)
        if let delta { snapshot.delta = delta }
        if let epsilon { snapshot.epsilon = epsilon }
        if !bonds.isEmpty { snapshot.bonds = (snapshot.bonds ?? []) + bonds }
        if let config, !config.ipsecTunnels.isEmpty { snapshot.tunnels = TunnelHealth.snapshotTunnels(config, names: names) }
        // An HA node's VRRP state now (a single connector leaves ha_state out).
        if let state = HAState.current(names) {
            snapshot.haState = state.rawValue
            snapshot.haValue = state.value
        }
    }
}
