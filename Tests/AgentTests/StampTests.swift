import Agent
import ConnectorAPI
import Foundation
import Testing

@Suite struct StampTests {
    @Test func eventsCountUpWithinOneTimeAndNeverGoBack() {
        let first = Stamp.event(after: nil, now: 100)
        #expect(first == Stamp(t: 100, n: 0))
        #expect(Stamp.event(after: first, now: 100) == Stamp(t: 100, n: 1))
        #expect(
            Stamp.event(after: Stamp(t: 100, n: 1), now: 50) == Stamp(t: 100, n: 2),
            "a clock stepped back does not move t back")
        #expect(Stamp.event(after: Stamp(t: 100, n: 7), now: 101.5) == Stamp(t: 101.5, n: 0))
    }

    @Test func snapshotsGetAStrictlyLaterTime() {
        #expect(Stamp.snapshot(after: Stamp(t: 100, n: 3), now: 100) == Stamp(t: 100.000_001, n: 0))
        #expect(Stamp.snapshot(after: Stamp(t: 100, n: 0), now: 90).t > 100)
        #expect(Stamp.snapshot(after: Stamp(t: 100, n: 0), now: 120) == Stamp(t: 120, n: 0))
    }
}
