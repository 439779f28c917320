import Foundation

/// A point in simulated time as `--from`/`--to` take it: unix seconds, ISO 8601, `now`, or `now-1d` / `now+2h`.
public enum FleetTime {
    public static func parse(_ text: String, now: Double, option: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "now" { return now }
        if trimmed.hasPrefix("now-") || trimmed.hasPrefix("now+"),
            let offset = FleetDuration.seconds(String(trimmed.dropFirst(4)))
        {
            return trimmed.hasPrefix("now-") ? now - offset : now + offset
        }
        if let seconds = Double(trimmed), seconds.isFinite, seconds >= 0 { return seconds }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: trimmed) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: trimmed) { return date.timeIntervalSince1970 }
        throw FleetError(
            "\(option): '\(text)' is not a time; give unix seconds, ISO 8601 (2026-11-27T00:00:00Z), now, or now-1d")
    }
}
