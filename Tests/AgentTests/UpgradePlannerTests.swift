@testable import Agent
import ConnectorAPI
import Foundation
import Testing

@Suite struct UpgradePlannerTests {
    @Test func versionsOrderNumericallyWithLabelsBeforeReleases() {
        #expect(VersionOrder.isNewer("1.2.10", than: "1.2.9"))
        #expect(VersionOrder.isNewer("2.0", than: "1.99.99"))
        #expect(!VersionOrder.isNewer("1.2.0", than: "1.2"))
        #expect(VersionOrder.isNewer("2.0.0", than: "2.0.0-rc1"))
        #expect(!VersionOrder.isNewer("2.0.0-rc1", than: "2.0.0"))
        #expect(!VersionOrder.isNewer("0.9", than: "1.0"))
    }

    func connector(days: [String] = ["Monday"], hour: Double = 2, duration: Double = 2, embargo: [String] = [], zone: String = "UTC") -> Connector {
        Connector(
            id: "c", activated: true, interruptWindowDaysOfWeek: days, interruptWindowDurationHours: duration,
            interruptWindowEmbargoDates: embargo, interruptWindowHourOfDay: hour, lastUpdated: "", notes: "", timezone: zone
        )
    }

    @Test func startsOnlyInsideTheWindowAndOnlyForANewerVersion() {
        let offer = UpgradeOffer(version: "2.0.0", url: "http://127.0.0.1/b", sha256: String(repeating: "0", count: 64))
        let inside = mondayUTC(hour: 2), outside = mondayUTC(hour: 5)
        #expect(UpgradePlanner.decide(offer: offer, running: "1.0.0", connector: connector(), now: inside) == .start)
        guard case .waitForWindow(let opens) = UpgradePlanner.decide(offer: offer, running: "1.0.0", connector: connector(), now: outside) else {
            Issue.record("outside the window must wait")
            return
        }
        #expect(opens == Date(timeIntervalSince1970: 1_795_392_000 + 7 * 86_400 + 2 * 3600), "next Monday 02:00 UTC")
        #expect(UpgradePlanner.decide(offer: offer, running: "2.0.0", connector: connector(), now: inside) == .current)
        #expect(UpgradePlanner.decide(offer: offer, running: "3.0.0", connector: connector(), now: inside) == .older)
        #expect(UpgradePlanner.decide(offer: offer, running: "1.0.0", connector: nil, now: inside) == .noConnectorYet)
        #expect(UpgradePlanner.decide(offer: offer, running: "1.0.0", connector: connector(embargo: ["2026-11-23"]), now: inside) != .start, "embargoed")
        if case .invalidWindow = UpgradePlanner.decide(offer: offer, running: "1.0.0", connector: connector(zone: "Mars/Olympus"), now: inside) {} else {
            Issue.record("an unknown time zone is an invalid window")
        }
    }
}
