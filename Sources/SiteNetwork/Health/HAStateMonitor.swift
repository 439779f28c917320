import ConnectorAPI
import Foundation
import Logging

/// Watches one HA node's VRRP state (what its keepalived's notify script recorded, `stopped` when keepalived is
/// gone) every 100 ms and reports each change: the agent records an event for it, and the next snapshot carries
/// the new `ha_state`. keepalived itself moves the virtual addresses and DHCP; nothing is applied here.
public final class HAStateMonitor: Sendable {
    public static let interval: Duration = .milliseconds(100)

    private let loop = MonitorThread(name: "ha-state")

    /// Starts watching the node `names` are for, on a thread of its own; `onTransition(from, to)` for every change
    /// after the state first seen.
    public init(names: SiteNames, logger: Logger, onTransition: @escaping @Sendable (HAState?, HAState) -> Void) {
        loop.start { [loop] in
            var last: HAState?
            while !loop.isStopping {
                if let state = HAState.current(names), state != last {
                    logger.notice("HA \(names.node?.rawValue ?? "node") is \(state.rawValue)\(last.map { " (was \($0.rawValue))" } ?? "")", metadata: ["site": "\(names.key)"])
                    if last != nil { onTransition(last, state) }
                    last = state
                }
                loop.pause(Self.interval)
            }
        }
    }

    /// Stops the monitor and waits for its thread. Idempotent.
    public func stop() { loop.stop() }
}
