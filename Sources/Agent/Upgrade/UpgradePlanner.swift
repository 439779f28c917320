import ConnectorAPI
import Foundation

/// What to do about an upgrade offer right now. Pure, so every rule is testable with any clock.
enum UpgradeDecision: Equatable {
    /// The offered version breaks the version grammar (`VersionName`): refused, nothing is downloaded.
    case invalidVersion(String)
    /// The offer is the running version, or older: nothing to do.
    case current
    case older
    /// The connector's window is closed; it next opens at this moment (nil: not within a year).
    case waitForWindow(opensAt: Date?)
    /// The connector's window cannot be understood; no upgrade can start.
    case invalidWindow(String)
    /// The connector has not been fetched yet, so its window is unknown.
    case noConnectorYet
    case start
}

/// Remembered between check-ins: offers that failed (not tried again before their time) and the last notice
/// logged, so a waiting upgrade is logged once, not at every check-in.
struct UpgradeMemory: Sendable {
    var failedUntil: [UpgradeOffer: ContinuousClock.Instant] = [:]
    var lastNotice: String?
}

enum UpgradePlanner {
    /// Upgrades never start outside the connector's interrupt window.
    /// The version is checked first: it is data from the network that later names a directory.
    static func decide(offer: UpgradeOffer, running: String, connector: Connector?, now: Date) -> UpgradeDecision {
        if let problem = VersionName.problem(offer.version) { return .invalidVersion(problem) }
        if offer.version == running { return .current }
        guard VersionOrder.isNewer(offer.version, than: running) else { return .older }
        guard let connector else { return .noConnectorYet }
        let window: InterruptWindow
        do {
            window = try InterruptWindow(connector: connector)
        } catch {
            return .invalidWindow("\(error)")
        }
        guard window.contains(now) else { return .waitForWindow(opensAt: window.nextOpening(atOrAfter: now)) }
        return .start
    }
}
