import ConnectorAPI
import Foundation
import Logging
import SiteNetwork
import Synchronization

/// The agent's side of site networking: validates the fetched config with every `site validate` rule, applies
/// it to namespaces (as `vconnector site apply`), and keeps the site's view for snapshots (leases, delta,
/// epsilon, emulated bonds).
final class SiteApplication: Sendable {
    /// nil when the agent only validates (site apply off, or not root).
    let reconciler: SiteReconciler?
    private let view = Mutex<SiteView?>(nil)
    /// The WAN health monitor of the applied site, and the config it watches.
    private let health = Mutex<(config: SiteConfig, monitor: WANHealthMonitor)?>(nil)
    private let logger: Logger

    private struct SiteView {
        var names: SiteNames
        var delta: Int
        var epsilon: Int
        var bonds: [Snapshot.Bond]
    }

    init(configuration: AgentConfiguration, logger: Logger) {
        self.logger = logger
        if configuration.siteApply && getuid() != 0 {
            logger.warning("site apply needs root (namespaces, netlink, nftables); validating site configs only")
        }
        reconciler = configuration.siteApply && getuid() == 0
            ? SiteReconciler(stateRoot: configuration.siteStateRoot, logger: logger) : nil
    }

    /// Applies `config` on a thread of its own: netlink, nft and process spawning block.
    func apply(_ config: SiteConfig) async throws -> ApplyReport {
        guard let reconciler else { throw SiteApplyDisabled() }
        let report = try await Self.blocking { try reconciler.apply(config, dhcpWait: .zero) }
        let bonds = SiteTelemetry.emulatedBonds(config, names: report.names)
        view.withLock { $0 = SiteView(names: report.names, delta: report.operations.count, epsilon: report.predicted, bonds: bonds) }
        return report
    }

    /// Removes a site that is no longer the connector's.
    func teardown(_ config: SiteConfig) async {
        guard let reconciler else { return }
        stopWatchingWANs()
        let names = reconciler.names(for: config)
        _ = try? await Self.blocking { try reconciler.teardown(names) }
        view.withLock { $0 = nil }
    }

    /// Keeps a WAN health monitor running for the applied `config` (a new one when the config changed): a WAN whose
    /// gateway stops answering loses its default route until it answers again (see `WANHealthMonitor`).
    func watchWANs(_ config: SiteConfig, onTransition: @escaping @Sendable (WANHealthMonitor.Transition) -> Void) {
        guard let reconciler else { return }
        let replaced = health.withLock { current -> WANHealthMonitor?? in
            if current?.config == config { return .none }
            let previous = current?.monitor
            current = (config, WANHealthMonitor(reconciler: reconciler, config: config, logger: logger, onTransition: onTransition))
            return .some(previous)
        }
        replaced??.stop()
    }

    /// Stops the WAN health monitor (the site is gone, or the agent stops).
    func stopWatchingWANs() {
        health.withLock { current -> WANHealthMonitor? in
            defer { current = nil }
            return current?.monitor
        }?.stop()
    }

    /// Adds the applied site's view to a snapshot: DHCP leases read now, delta/epsilon/bonds of the last apply.
    func fill(_ snapshot: inout Snapshot) {
        guard let site = view.withLock({ $0 }) else { return }
        snapshot.dhcpLeases = SiteTelemetry.dhcpLeases(site.names)
        snapshot.delta = site.delta
        snapshot.epsilon = site.epsilon
        if !site.bonds.isEmpty { snapshot.bonds = (snapshot.bonds ?? []) + site.bonds }
    }

    private static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}

struct SiteApplyDisabled: Error, CustomStringConvertible {
    var description: String { "site apply is off" }
}
