import Blocking
import ConnectorAPI
import Foundation
import Logging
import SiteNetwork
import Synchronization

/// The agent's side of site networking: validates the fetched config with every `site validate` rule, applies
/// it to namespaces (as `vconnector site apply`; of an HA site only this connector's node), and keeps the site's
/// part of the snapshots (leases, delta, epsilon, emulated bonds, ha_state) from its last apply.
final class SiteApplication: Sendable {
    /// nil when the agent only validates (site apply off, or not root).
    let reconciler: SiteReconciler?
    private let part = Mutex<SiteSnapshotPart?>(nil)
    /// The WAN and tunnel health monitors of the applied site (and its HA state's, for a node of a pair), and the
    /// config they watch.
    private let health = Mutex<(config: SiteConfig, monitors: Monitors)?>(nil)
    /// This connector's id: which node of an HA site it is.
    private let connectorID: String
    private let logger: Logger

    init(configuration: AgentConfiguration, logger: Logger) {
        self.logger = logger
        connectorID = configuration.connectorID
        if configuration.siteApply && getuid() != 0 {
            logger.warning("site apply needs root (namespaces, netlink, nftables); validating site configs only")
        }
        reconciler = configuration.siteApply && getuid() == 0
            ? SiteReconciler(stateRoot: configuration.siteStateRoot, logger: logger) : nil
    }

    /// The node of `config`'s HA pair this connector is (`connector_id` or `secondary_connector_id`); nil for a
    /// single connector. Each agent applies only its own node.
    func node(of config: SiteConfig) -> HANode? { HANode.of(connector: connectorID, in: config.site) }

    /// Applies `config` off the cooperative pool: netlink, nft and process spawning block.
    func apply(_ config: SiteConfig) async throws -> ApplyReport {
        guard let reconciler else { throw SiteApplyDisabled() }
        let node = node(of: config)
        let report = try await Blocking.run { _ in try reconciler.apply(config, dhcpWait: .zero, node: node) }
        let applied = SiteSnapshotPart(applied: report, config: config)
        part.withLock { $0 = applied }
        return report
    }

    /// Removes a site that is no longer the connector's.
    func teardown(_ config: SiteConfig) async {
        guard let reconciler else { return }
        stopWatchingHealth()
        let names = reconciler.names(for: config)
        _ = try? await Blocking.run { _ in try reconciler.teardown(names) }
        part.withLock { $0 = nil }
    }

    /// The applied site's part of the next snapshot; nil when no site is applied.
    var snapshotPart: SiteSnapshotPart? { part.withLock { $0 } }

    /// Keeps the health monitors running for the applied `config` (new ones when the config changed): a WAN whose
    /// gateway stops answering loses its default route, a tunnel whose health checks fail its routes, until they
    /// answer again (see `WANHealthMonitor`, `TunnelHealthMonitor`). `onTransition` is told of every change.
    /// An HA node's VRRP transitions are reported through `onTransition` too (the agent records `Reconcile`).
    func watchHealth(_ config: SiteConfig, onTransition: @escaping @Sendable () -> Void) {
        guard let reconciler else { return }
        let node = node(of: config)
        let replaced = health.withLock { current -> Monitors?? in
            if current?.config == config { return .none }
            let previous = current?.monitors
            let names = reconciler.names(for: config, node: node)
            current = (config, Monitors(
                wans: WANHealthMonitor(reconciler: reconciler, config: config, node: node, logger: logger, onTransition: { _ in onTransition() }),
                tunnels: TunnelHealthMonitor(reconciler: reconciler, config: config, logger: logger, onTransition: { _, _ in onTransition() }),
                ha: node == nil ? nil : HAStateMonitor(names: names, logger: logger, onTransition: { _, _ in onTransition() })))
            return .some(previous)
        }
        (replaced ?? nil)?.stop()
    }

    /// Stops the health monitors (the site is gone, or the agent stops).
    func stopWatchingHealth() {
        let monitors = health.withLock { current -> Monitors? in
            defer { current = nil }
            return current?.monitors
        }
        monitors?.stop()
    }

    /// The monitors of one applied config.
    struct Monitors: Sendable {
        var wans: WANHealthMonitor
        var tunnels: TunnelHealthMonitor
        var ha: HAStateMonitor?

        func stop() {
            wans.stop()
            tunnels.stop()
            ha?.stop()
        }
    }
}

struct SiteApplyDisabled: Error, CustomStringConvertible {
    var description: String { "site apply is off" }
}
