/// What a stop signal (SIGTERM, SIGINT) means, by when it arrives. The first one stops the agent gracefully (Leave,
/// then the flush). A repeat within `repeatWindow` of the first is the same request sent twice (`timeout`, a
/// process group or a supervisor often deliver SIGTERM more than once) and changes nothing; a signal after that
/// means the operator has waited long enough: exit at once (the spool keeps what was not delivered).
public struct StopSignalPolicy: Sendable {
    public enum Action: Sendable, Equatable {
        case stopGracefully
        case ignoreRepeat
        case exitNow
    }

    /// 1 s: longer than any burst of repeated signals, shorter than an operator's patience.
    public static let repeatWindow: Duration = .seconds(1)

    private var first: ContinuousClock.Instant?

    public init() {}

    /// The action for a signal that arrived at `now`.
    public mutating func receive(at now: ContinuousClock.Instant) -> Action {
        guard let first else {
            first = now
            return .stopGracefully
        }
        return now - first <= Self.repeatWindow ? .ignoreRepeat : .exitNow
    }
}
