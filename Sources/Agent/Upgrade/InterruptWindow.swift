import ConnectorAPI
import Foundation

/// The connector's interrupt window: upgrades may start only inside it. It opens at `hourOfDay` (local time in
/// `timeZone`) on each of `daysOfWeek` and stays open `durationHours` (possibly past midnight). No moment whose
/// local date is an embargo date is inside, nor any moment of a window that opened on an embargo date.
public struct InterruptWindow: Sendable, Equatable {
    /// 1 = Sunday ... 7 = Saturday, as `Calendar` numbers weekdays.
    public var daysOfWeek: Set<Int>
    public var hourOfDay: Int
    public var durationHours: Double
    /// Local dates, `YYYY-MM-DD`.
    public var embargoDates: Set<String>
    public var timeZone: TimeZone

    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public init(daysOfWeek: [String], hourOfDay: Double, durationHours: Double, embargoDates: [String], timeZone identifier: String) throws {
        var days = Set<Int>()
        for name in daysOfWeek {
            guard let index = Self.dayNames.firstIndex(of: name) else {
                throw Invalid(description: "interrupt window day '\(name)' is not one of \(Self.dayNames.joined(separator: ", "))")
            }
            days.insert(index + 1)
        }
        guard hourOfDay == hourOfDay.rounded(), (0...23).contains(hourOfDay) else {
            throw Invalid(description: "interrupt window hour of day \(hourOfDay) is not a whole hour 0-23")
        }
        guard durationHours.isFinite, durationHours > 0, durationHours <= 24 else {
            throw Invalid(description: "interrupt window duration \(durationHours) h is not within (0, 24]")
        }
        guard let timeZone = TimeZone(identifier: identifier) else {
            throw Invalid(description: "interrupt window time zone '\(identifier)' is not an IANA time zone")
        }
        for date in embargoDates where Self.parseDate(date) == nil {
            throw Invalid(description: "embargo date '\(date)' is not a YYYY-MM-DD date")
        }
        self.daysOfWeek = days
        self.hourOfDay = Int(hourOfDay)
        self.durationHours = durationHours
        self.embargoDates = Set(embargoDates)
        self.timeZone = timeZone
    }

    /// The window a connector describes.
    public init(connector: Connector) throws {
        try self.init(
            daysOfWeek: connector.interruptWindowDaysOfWeek, hourOfDay: connector.interruptWindowHourOfDay,
            durationHours: connector.interruptWindowDurationHours, embargoDates: connector.interruptWindowEmbargoDates,
            timeZone: connector.timezone
        )
    }

    /// Whether `date` is inside the window.
    public func contains(_ date: Date) -> Bool {
        guard !embargoDates.contains(localDate(date)) else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.startOfDay(for: date)
        // A window lasts at most 24 h, so only one opened today or yesterday can hold `date`.
        for offset in [0, -1] {
            guard let day = calendar.date(byAdding: .day, value: offset, to: today),
                  daysOfWeek.contains(calendar.component(.weekday, from: day)),
                  !embargoDates.contains(localDate(day)),
                  let opens = calendar.date(bySettingHour: hourOfDay, minute: 0, second: 0, of: day)
            else { continue }
            if date >= opens && date < opens.addingTimeInterval(durationHours * 3600) { return true }
        }
        return false
    }

    /// Whether the window is open now, by an injectable clock.
    public func isOpen(now clock: () -> Date = Date.init) -> Bool { contains(clock()) }

    /// The next moment at or after `date` when the window is open, searching `days` ahead at hour steps.
    public func nextOpening(atOrAfter date: Date, days: Int = 400) -> Date? {
        if contains(date) { return date }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.startOfDay(for: date)
        for offset in 0...days {
            guard let day = calendar.date(byAdding: .day, value: offset, to: today),
                  let opens = calendar.date(bySettingHour: hourOfDay, minute: 0, second: 0, of: day),
                  opens >= date, contains(opens)
            else { continue }
            return opens
        }
        return nil
    }

    func localDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    static func parseDate(_ text: String) -> DateComponents? {
        let fields = text.split(separator: "-", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0].count == 4, fields[1].count == 2, fields[2].count == 2,
              let year = Int(fields[0]), let month = Int(fields[1]), let day = Int(fields[2]),
              (1...12).contains(month), day >= 1
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else { return nil }
        return components
    }
}
