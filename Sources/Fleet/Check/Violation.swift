/// One broken invariant: which connector, at which record time, which field, and what is wrong.
public struct Violation: Sendable, Equatable, CustomStringConvertible {
    public var connector: String
    public var t: Double
    public var field: String
    public var message: String

    public init(connector: String, t: Double, field: String, message: String) {
        self.connector = connector
        self.t = t
        self.field = field
        self.message = message
    }

    public var description: String { "\(connector) t=\(FleetChecker.timeText(t)) \(field): \(message)" }
}
