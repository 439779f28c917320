/// An incident as one connector lives it: from `start` to `end` in simulated seconds since the epoch.
struct IncidentWindow: Sendable, Equatable {
    var kind: IncidentKind
    var start: Double
    var end: Double
    var interface: String?
    var version: String?

    func contains(_ t: Double) -> Bool { t >= start && t < end }

    /// How far into the window `t` is, 0...1; nil outside it.
    func progress(at t: Double) -> Double? { contains(t) ? (t - start) / max(end - start, 1) : nil }
}
