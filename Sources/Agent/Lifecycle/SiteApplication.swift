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

    init(configuration: AgentConfiguration, logger: Logger) {
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
        let names = reconciler.names(for: config)
        _ = try? await Blocking.run { _ in try reconciler.teardown(names) }
        part.withLock { $0 = nil }
    }

    /// The applied site's part of the next snapshot; nil when no site is applied.
    var snapshotPart: SiteSnapshotPart? { part.withLock { $0 } }
}

struct SiteApplyDisabled: Error, CustomStringConvertible {
    var description: String { "site apply is off" }
}
