import Dispatch

/// The one way blocking work (a socket exchange, a SQLite transaction, netlink, spawning processes, a load
/// generator's connection) leaves Swift concurrency's cooperative pool, whose few threads the rest of the
/// process needs. A thread that must be in a network namespace is different: see `NamespaceThread`.
public enum Blocking {
    /// Runs `work` off the cooperative pool and resumes the caller with its result. Each call gets a serial
    /// dispatch queue of its own: serial queues run on libdispatch's overcommit threads, which are reused (no
    /// thread is created per call once one is idle) and added when all are busy, so blocked work never waits for
    /// other blocked work. Cancelling the awaiting task sets the flag that `work` may poll; it is not interrupted.
    public static func run<T: Sendable>(_ work: @escaping @Sendable (CancelFlag) throws -> T) async throws -> T {
        let cancelled = CancelFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue(label: "vconnector.blocking").async {
                    continuation.resume(with: Result { try work(cancelled) })
                }
            }
        } onCancel: {
            cancelled.set()
        }
    }
}
