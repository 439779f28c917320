import ConnectorAPI
import Foundation
import Logging

/// The upgrade flow: an offer seen at check-in starts only inside the connector's interrupt window (by the
/// injectable window clock); `StartUpgrade{url}`, download, SHA-256 check, install, then `FinishUpgradeSuccess`
/// and the new `v` on every later record, or `FinishUpgradeFailure` and the running version kept.
extension Agent {
    /// The version this agent reports in `v` (changes after a successful upgrade).
    public var runningVersion: String { device.currentVersion }

    func considerUpgrade(_ offer: UpgradeOffer) async {
        if let until = device.upgrade.withLock({ $0.failedUntil[offer] }), ContinuousClock.now < until { return }
        let decision = UpgradePlanner.decide(
            offer: offer, running: device.currentVersion, connector: latestConnector, now: windowClock())
        // Every string of the offer is the API's: printed through TextRules.printable, so it cannot fake a log line.
        let version = TextRules.printable(offer.version)
        let notice: (level: Logger.Level, text: String)?
        switch decision {
        case .current, .noConnectorYet: notice = nil
        case .invalidVersion(let why):
            notice = (
                .warning, "upgrade offer refused: its version \(why) (offered: '\(version)'); nothing is downloaded"
            )
        case .older:
            notice = (.info, "upgrade offer \(version) is not newer than the running \(device.currentVersion); ignored")
        case .invalidWindow(let why):
            notice = (.info, "upgrade to \(version) cannot start: \(TextRules.printable(why, limit: 400))")
        case .waitForWindow(let opens):
            notice = (
                .info,
                "upgrade to \(version) waits for the interrupt window (next opening \(opens.map { ISO8601DateFormatter().string(from: $0) } ?? "not within a year"))"
            )
        case .start: notice = nil
        }
        if let notice, device.upgrade.withLock({ $0.lastNotice }) != notice.text {
            device.upgrade.withLock { $0.lastNotice = notice.text }
            logger.log(level: notice.level, "\(notice.text)")
        }
        if decision == .start { await upgrade(to: offer) }
    }

    private func upgrade(to offer: UpgradeOffer) async {
        let from = device.currentVersion
        logger.info(
            "upgrade starting",
            metadata: [
                "from": "\(from)", "to": "\(TextRules.printable(offer.version))",
                "url": "\(TextRules.printable(offer.url, limit: 400))",
            ])
        record(.startUpgrade(url: offer.url))
        let staged = device.versions.stagingPath
        let downloader = BundleDownloader(
            apiBase: configuration.apiBase, token: client.token, timeout: configuration.upgradeTimeout,
            http: client.http)
        do {
            let (sha256, size) = try await downloader.download(offer.url, to: staged)
            guard sha256 == offer.sha256 else {
                throw BundleDownloader.Failure(
                    code: .checksumMismatch,
                    description: "bundle SHA-256 is \(sha256), the offer says \(TextRules.printable(offer.sha256))")
            }
            _ = try device.versions.install(staged: staged, offer: offer)
            device.version.withLock { $0 = offer.version }
            record(.finishUpgradeSuccess)
            logger.notice(
                "upgraded",
                metadata: ["from": "\(from)", "to": "\(TextRules.printable(offer.version))", "bytes": "\(size)"])
        } catch {
            unlink(staged)
            let retry = ContinuousClock.now + .seconds(configuration.upgradeRetryInterval)
            device.upgrade.withLock { $0.failedUntil[offer] = retry }
            record(.finishUpgradeFailure)
            logger.error(
                "upgrade failed; keeping \(from). The same offer is tried again after \(configuration.upgradeRetryInterval) s",
                metadata: [
                    "to": "\(TextRules.printable(offer.version))",
                    "error": "\(TextRules.printable("\(error)", limit: 400))",
                ])
        }
    }
}
