import ConnectorAPI
import Foundation

/// The rules of a connector's interrupt (upgrade) window and device options.
enum ConnectorValidation {
    static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Checks every settable field present in `fields`.
    static func validate(_ fields: ConnectorFields) throws {
        if let hours = fields.interruptWindowDurationHours, !(hours >= 1 && hours <= 24) {
            throw APIError.invalid("interrupt_window_duration_hours", "\(format(hours)) is out of range; allowed 1 to 24 hours")
        }
        if let hour = fields.interruptWindowHourOfDay {
            guard hour >= 0, hour <= 23, hour == hour.rounded() else {
                throw APIError.invalid("interrupt_window_hour_of_day", "\(format(hour)) is not a whole hour 0 to 23")
            }
        }
        if let days = fields.interruptWindowDaysOfWeek {
            for (index, day) in days.enumerated() where !weekdays.contains(day) {
                throw APIError.invalid(
                    "interrupt_window_days_of_week[\(index)]", "\(Rules.quoted(day)) is not a day; use one of \(weekdays.joined(separator: ", "))"
                )
            }
            if Set(days).count != days.count {
                throw APIError.invalid("interrupt_window_days_of_week", "lists a day more than once")
            }
        }
        if let dates = fields.interruptWindowEmbargoDates {
            if dates.count > 100 {
                throw APIError.invalid("interrupt_window_embargo_dates", "\(dates.count) dates; at most 100 are allowed")
            }
            for (index, date) in dates.enumerated() where !isCalendarDate(date) {
                throw APIError.invalid("interrupt_window_embargo_dates[\(index)]", "\(Rules.quoted(date)) is not a date in YYYY-MM-DD form")
            }
        }
        if let zone = fields.timezone, !isIANAZone(zone) {
            throw APIError.invalid("timezone", "\(Rules.quoted(zone)) is not an IANA time zone (e.g. 'Europe/London', 'UTC')")
        }
    }

    /// `device` of a create: exactly one of id, serial_number, provision_license (which must then be true).
    static func validateDevice(_ device: ConnectorDeviceOptions?) throws -> ConnectorDeviceOptions {
        guard let device else { throw APIError.missing("device") }
        let given = [device.id != nil, device.serialNumber != nil, device.provisionLicense != nil].filter { $0 }.count
        guard given == 1 else {
            throw APIError.invalid(
                "device", given == 0
                    ? "give exactly one of id, serial_number, provision_license (none given)"
                    : "give exactly one of id, serial_number, provision_license (\(given) given)"
            )
        }
        try Rules.id(device.id, "device.id")
        try Rules.name(device.serialNumber, "device.serial_number")
        if device.provisionLicense == false {
            throw APIError.invalid("device.provision_license", "must be true when it is the device option given")
        }
        return device
    }

    static func isCalendarDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    /// A zone from the tz database; Foundation's parser also accepts abbreviations and GMT offsets, so
    /// the name must also be one of the known identifiers.
    static func isIANAZone(_ name: String) -> Bool {
        if name == "UTC" || name == "Etc/UTC" { return true }
        return TimeZone.knownTimeZoneIdentifiers.contains(name) && TimeZone(identifier: name) != nil
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
