import Blocking
import ConnectorAPI
import Foundation
import Logging
import SiteNetwork
import Synchronization

/// The agent's side of site networking: validates the fetched config with every `site validate` rule, applies
/// it to namespaces (as `vconnector site apply`), and keeps the site's part of the snapshots (leases, delta,
/// epsilon, emulated bonds) from its last apply.
final class SiteApplication: Sendable {
    /// nil when the agent only validates (site apply off, or not root).
    let reconciler: SiteReconciler?
    private let part = Mutex<SiteSnapshotPart?>(nil)
    /// The WAN and tunnel health monitors of the applied site, and the config they watch.
    private let health = Mutex<(config: SiteConfig, wans: WANHealthMonitor, tunnels: TunnelHealthMonitor)?>(nil)
    private let logger: Logger

    init(configuration: AgentConfiguration, logger: Logger) {
        self.logger = logger
        if configuration.siteApply && getuid() != 0 {
            logger.warning("site apply needs root (namespaces, netlink, nftables); validating site configs only")
        }
        reconciler = configuration.siteApply && getuid() == 0
            ? SiteReconciler(stateRoot: configuration.siteStateRoot, logger: logger) : nil
    }

    /// Applies `config` off the cooperative pool: netlink, nft and process spawning block.
    func apply(_ config: SiteConfig) async throws -> ApplyReport {
        guard let reconciler else { throw SiteApplyDisabled() }
        let report = try await Blocking.run { _ in try reconciler.apply(config, dhcpWait: .zero) }
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
    func watchHealth(_ config: SiteConfig, onTransition: @escaping @Sendable () -> Void) {
        guard let reconciler else { return }
        let replaced = health.withLock { current -> (WANHealthMonitor, TunnelHealthMonitor)?? in
            if current?.config == config { return .none }
            let previous = current.map { ($0.wans, $0.tunnels) }
            current = (config,
                       WANHealthMonitor(reconciler: reconciler, config: config, logger: logger, onTransition: { _ in onTransition() }),
                       TunnelHealthMonitor(reconciler: reconciler, config: config, logger: logger, onTransition: { _, _ in onTransition() }))
            return .some(previous)
        }
        if let previous = replaced ?? nil {
            previous.0.stop()
            previous.1.stop()
        }
    }

    /// Stops the health monitors (the site is gone, or the agent stops).
    func stopWatchingHealth() {
        let monitors = health.withLock { current -> (WANHealthMonitor, TunnelHealthMonitor)? in
            defer { current = nil }
            return current.map { ($0.wans, $0.tunnels) }
        }
        monitors?.0.stop()
        monitors?.1.stop()
    }
}

struct SiteApplyDisabled: Error, CustomStringConvertible {
    var description: String { "site apply is off" }
}
