import ConnectorAPI
import Foundation
import Logging

/// What interrupts have asked of this run of the agent.
struct InterruptState: Sendable {
    /// Set by a restart or shutdown interrupt: how `run()` was asked to end.
    var requestedExit: Agent.RequestedExit?
    /// Tear the applied site down when stopping, even without `--teardown-on-exit`.
    var purge = false
    /// When the emulated device last rebooted; snapshots report uptime since then.
    var bootedAt: ContinuousClock.Instant?
}

/// Connector interrupts, read with the other directives at every check-in interval. The agent reports the
/// pending one (`triggered_at` is set) before it acts, so a restarted agent does not take it on again; a report
/// that fails leaves it pending, to be taken on at the next interval.
/// - restart: stop gracefully (`Leave`, the backlog flushed) and end `run()` with `.restart`; the executable
///   re-execs itself, and the new process keeps the spool and identity in the state directory (`Init` again).
/// - reboot: within this process, as a device reboot looks from the API: `Leave`, the applied site torn down,
///   uptime from zero, `Init`, and the next check-in applies the site again (`Reconcile`).
/// - shutdown: stop gracefully and end `run()` with `.shutdown`; the executable exits 0 (not restarted by a
///   `Restart=on-failure` supervisor).
/// `purge` also tears the applied site down on restart and shutdown (a reboot always does); the spool and the
/// device identity are kept.
extension Agent {
    public enum RequestedExit: Sendable, Equatable {
        case restart, shutdown
    }

    /// How an interrupt asked `run()` to end; nil when it ended for another reason (a signal, `stop()`).
    public var requestedExit: RequestedExit? { interruptState.withLock { $0.requestedExit } }

    /// Takes on the pending interrupt, if any. True when one was taken on.
    func checkInterrupts() async throws -> Bool {
        let path = client.connectorPath + "/interrupts"
        guard let interrupts = try await client.getOptional([ConnectorInterrupt].self, path),
              let pending = interrupts.first(where: \.isPending), let submittedAt = pending.submittedAt
        else { return false }
        guard let action = pending.action else {
            logger.warning("a pending interrupt names no single action; ignored", metadata: ["submitted_at": "\(TextRules.printable(submittedAt))"])
            return false
        }
        _ = try await client.call("POST", path + "/triggered", body: InterruptTriggered(submittedAt: submittedAt), as: ConnectorInterrupt.self)
        logger.notice("interrupt: \(action.kind.rawValue)", metadata: [
            "submitted_at": "\(TextRules.printable(submittedAt))", "purge": "\(action.purge)",
        ])
        switch action.kind {
        case .reboot: await reboot()
        case .restart: end(.restart, purge: action.purge)
        case .shutdown: end(.shutdown, purge: action.purge)
        }
        return true
    }

    private func end(_ exit: RequestedExit, purge: Bool) {
        interruptState.withLock {
            $0.requestedExit = exit
            $0.purge = $0.purge || purge
        }
        stop(.graceful)
    }

    /// An emulated reboot: the process stays, what the API sees of the device starts again.
    private func reboot() async {
        record(.leave)
        if let applied = reconciledBox.withLock({ $0 }) {
            site.stopWatchingHealth()
            await site.teardown(applied)
        }
        reconciledBox.withLock { $0 = nil }
        refusedBox.withLock { $0 = nil }
        interruptState.withLock { $0.bootedAt = .now }
        record(.`init`)
        logger.notice("rebooted (emulated): the site is applied again at the next check-in")
    }

    /// After an emulated reboot, uptime counts from it (idle time scaled alike), as on a device that booted then.
    func emulateUptime(_ snapshot: inout Snapshot) {
        guard let booted = interruptState.withLock({ $0.bootedAt }), let total = snapshot.uptimeTotalMs, total > 0 else { return }
        let since = UInt64(max(0, (ContinuousClock.now - booted) / .milliseconds(1)))
        guard since < total else { return }
        snapshot.uptimeIdleMs = snapshot.uptimeIdleMs.map { UInt64(Double($0) * Double(since) / Double(total)) }
        snapshot.uptimeTotalMs = since
    }
}
