import ConnectorAPI
import Foundation
import Logging
import Synchronization

/// Watches one HA node's VRRP state (what its keepalived's notify script recorded, `stopped` when keepalived is
/// gone) every 100 ms and reports each change: the agent records an event for it, and the next snapshot carries
/// the new `ha_state`. keepalived itself moves the virtual addresses and DHCP; nothing is applied here.
public final class HAStateMonitor: Sendable {
    public static let interval: Duration = .milliseconds(100)

    private let stopping = Mutex(false)
    private let done = DispatchSemaphore(value: 0)
    private let wake = DispatchSemaphore(value: 0)

    /// Starts watching the node `names` are for, on a thread of its own; `onTransition(from, to)` for every change
    /// after the state first seen.
    public init(names: SiteNames, logger: Logger, onTransition: @escaping @Sendable (HAState?, HAState) -> Void) {
        let thread = Thread { [self] in
            var last: HAState?
            while !stopping.withLock({ $0 }) {
                if let state = HAState.current(names), state != last {
                    logger.notice("HA \(names.node?.rawValue ?? "node") is \(state.rawValue)\(last.map { " (was \($0.rawValue))" } ?? "")", metadata: ["site": "\(names.key)"])
                    if last != nil { onTransition(last, state) }
                    last = state
                }
                _ = wake.wait(timeout: .now() + Self.interval.seconds)
            }
            done.signal()
        }
        thread.name = "ha-state"
        thread.start()
    }

    /// Stops the monitor and waits for its thread. Idempotent.
    public func stop() {
        let first = stopping.withLock { stopping in
            defer { stopping = true }
            return !stopping
        }
        if first {
            wake.signal()
            done.wait()
        }
    }
}
