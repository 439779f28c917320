import Foundation
import Synchronization

/// The thread a health monitor runs its loop on: its pauses end early when it is stopped, and `stop()` waits
/// for the loop to return, so a stopped monitor never acts again.
final class MonitorThread: Sendable {
    private let name: String
    private let stopping = Mutex(false)
    private let done = DispatchSemaphore(value: 0)
    /// Wakes the loop from its pause when it is stopped.
    private let wake = DispatchSemaphore(value: 0)

    init(name: String) { self.name = name }

    /// Runs `loop` on a new thread (once).
    func start(_ loop: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            loop()
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    var isStopping: Bool { stopping.withLock { $0 } }

    /// Sleeps `duration` (at least 10 ms), or until stopped.
    func pause(_ duration: Duration) {
        _ = wake.wait(timeout: .now() + .milliseconds(max(.milliseconds(10), duration).wholeMilliseconds))
    }

    /// Stops the loop and waits for it. Idempotent.
    func stop() {
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
