import Agent
import Foundation
import Testing

@Suite struct InterruptWindowTests {
    /// A moment given as local wall time in `zone`.
    func at(_ text: String, _ zone: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let parts = text.split(whereSeparator: { "- :".contains($0) }).map { Int($0)! }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4]))!
    }

    // 2026-11-23 is a Monday.
    @Test func opensAtTheHourOnTheGivenDaysForTheDuration() throws {
        let window = try InterruptWindow(daysOfWeek: ["Monday"], hourOfDay: 3, durationHours: 2, embargoDates: [], timeZone: "Europe/Berlin")
        #expect(!window.contains(at("2026-11-23 02:59", "Europe/Berlin")))
        #expect(window.contains(at("2026-11-23 03:00", "Europe/Berlin")))
        #expect(window.contains(at("2026-11-23 04:59", "Europe/Berlin")))
        #expect(!window.contains(at("2026-11-23 05:00", "Europe/Berlin")))
        #expect(!window.contains(at("2026-11-24 03:30", "Europe/Berlin")), "Tuesday is not a window day")
        // The same instant seen from UTC: 03:30 Berlin (CET, UTC+1) is 02:30 UTC.
        #expect(window.contains(at("2026-11-23 02:30", "UTC")))
        #expect(!window.contains(at("2026-11-23 04:30", "UTC")), "04:30 UTC is 05:30 in Berlin")
    }

    @Test func aWindowMayRunPastMidnight() throws {
        let window = try InterruptWindow(daysOfWeek: ["Sunday"], hourOfDay: 22, durationHours: 4, embargoDates: [], timeZone: "UTC")
        #expect(window.contains(at("2026-11-22 23:00", "UTC")))
        #expect(window.contains(at("2026-11-23 01:59", "UTC")), "Monday 01:59 is inside Sunday's window")
        #expect(!window.contains(at("2026-11-23 02:00", "UTC")))
        #expect(!window.contains(at("2026-11-23 22:30", "UTC")), "Monday evening is not a window")
    }

    @Test func embargoDatesBlockTheWholeLocalDayAndWindowsOpenedOnThem() throws {
        let window = try InterruptWindow(daysOfWeek: ["Sunday", "Monday"], hourOfDay: 22, durationHours: 4, embargoDates: ["2026-11-22"], timeZone: "America/New_York")
        #expect(!window.contains(at("2026-11-22 23:00", "America/New_York")), "embargoed day")
        #expect(!window.contains(at("2026-11-23 01:00", "America/New_York")), "window opened on an embargoed day")
        #expect(window.contains(at("2026-11-23 23:00", "America/New_York")))
        #expect(window.nextOpening(atOrAfter: at("2026-11-22 12:00", "America/New_York")) == at("2026-11-23 22:00", "America/New_York"))
    }

    @Test func anInjectedClockDecides() throws {
        let window = try InterruptWindow(daysOfWeek: ["Monday"], hourOfDay: 3, durationHours: 1, embargoDates: [], timeZone: "UTC")
        #expect(window.isOpen(now: { self.at("2026-11-23 03:10", "UTC") }))
        #expect(!window.isOpen(now: { self.at("2026-11-23 04:10", "UTC") }))
    }

    @Test func invalidWindowsAreRefusedWithTheReason() {
        #expect(throws: InterruptWindow.Invalid.self) { try InterruptWindow(daysOfWeek: ["Funday"], hourOfDay: 3, durationHours: 1, embargoDates: [], timeZone: "UTC") }
        #expect(throws: InterruptWindow.Invalid.self) { try InterruptWindow(daysOfWeek: [], hourOfDay: 3.5, durationHours: 1, embargoDates: [], timeZone: "UTC") }
        #expect(throws: InterruptWindow.Invalid.self) { try InterruptWindow(daysOfWeek: [], hourOfDay: 3, durationHours: 25, embargoDates: [], timeZone: "UTC") }
        #expect(throws: InterruptWindow.Invalid.self) { try InterruptWindow(daysOfWeek: [], hourOfDay: 3, durationHours: 1, embargoDates: [], timeZone: "Mars/Olympus") }
        #expect(throws: InterruptWindow.Invalid.self) { try InterruptWindow(daysOfWeek: [], hourOfDay: 3, durationHours: 1, embargoDates: ["2026-02-30"], timeZone: "UTC") }
    }
}
