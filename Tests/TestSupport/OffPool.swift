import Foundation

/// Runs blocking work (a site apply, a lab, probes with timeouts) on a thread of its own and awaits it, so it does
/// not hold one of Swift concurrency's few cooperative threads (two on a 2-core machine) for seconds: every async
/// test of the run, the agent's HTTP client timeouts among them, would wait behind it. Expectations stay outside:
/// the closure returns what the test then checks.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 4 << 20
        thread.start()
    }
}
