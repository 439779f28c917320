import ConnectorAPI

/// The invariants of one connector's events: stamps in order, `n` counting within a `t` as the agent's spool
/// stamps them, and the lifecycle's grammar (Init first; nothing but Init after Leave; every Start has its Finish
/// before the next Start of its kind).
enum EventInvariants {
    static func check(_ events: [RecordedEvent], fail: SnapshotInvariants.Fail) {
        if let first = events.first, first.e != .`init` {
            fail(first.t, "e.k", "the first event is \(first.e.kind.rawValue), not Init")
        }
        var open: [String: EventKind] = [:]
        for (index, event) in events.enumerated() {
            if index > 0 {
                let previous = events[index - 1]
                if event.t < previous.t {
                    fail(event.t, "t", "before the previous event's t \(FleetChecker.timeText(previous.t))")
                } else if event.t == previous.t, event.n != previous.n + 1 {
                    fail(event.t, "n", "\(event.n) after \(previous.n) at the same t (n counts up by one within a t)")
                } else if event.t > previous.t, event.n > 1 {
                    fail(
                        event.t, "n",
                        "\(event.n) at a new t (it starts again at 0, or 1 after a snapshot of the same t)")
                }
                if previous.e == .leave, event.e != .`init` {
                    fail(event.t, "e.k", "\(event.e.kind.rawValue) after Leave (only Init may follow)")
                }
            }
            if event.e == .`init` { open = [:] }
            if let (flow, isStart) = flow(of: event.e.kind) {
                if isStart, let started = open[flow] {
                    fail(event.t, "e.k", "\(event.e.kind.rawValue) while \(started.rawValue) has no Finish yet")
                } else if !isStart, open[flow] == nil {
                    fail(event.t, "e.k", "\(event.e.kind.rawValue) without its Start")
                }
                open[flow] = isStart ? event.e.kind : nil
            }
        }
    }

    /// The flow a Start/Finish event belongs to, and whether it starts it.
    private static func flow(of kind: EventKind) -> (String, Bool)? {
        let name = kind.rawValue
        for flow in ["Attestation", "RotateCryptKey", "RotatePki", "Upgrade"] {
            if name == "Start\(flow)" { return (flow, true) }
            if name.hasPrefix("Finish\(flow)") { return (flow, false) }
        }
        return nil
    }
}
