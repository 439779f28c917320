import CNetlink
import Foundation

/// A dedicated OS thread that entered a network namespace and runs work there, one job at a time.
///
/// `setns()` changes only the calling OS thread, so it must never run on a Swift concurrency or
/// Dispatch thread. Work that needs the namespace (opening a `RouteSocket`, reading
/// `/proc/thread-self/net/...`) is handed to this thread instead.
public final class NamespaceThread: @unchecked Sendable {
    /// The namespace path, e.g. /run/netns/NAME.
    public let path: String
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var stopping = false
    private var ready = false
    private var startError: NetlinkError?

    /// Starts a thread inside the namespace `name` (`ip netns` name) or at an absolute path.
    public init(namespace name: String) throws {
        path = name.contains("/") ? name : "/run/netns/\(name)"
        let thread = Thread { [self] in self.main() }
        thread.name = "netns:\(name)"
        thread.start()
        condition.lock()
        while !ready { condition.wait() }
        let error = startError
        condition.unlock()
        if let error { throw error }
    }

    deinit {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// Runs `body` on the namespace thread and returns its result; the caller blocks meanwhile.
    public func run<T>(_ body: () throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { escapable in
            var result: Result<T, any Error>?
            let job = Job { result = Result { try escapable() } }
            condition.lock()
            jobs.append(job)
            condition.broadcast()
            while !job.done { condition.wait() }
            condition.unlock()
            return try result!.get()
        }
    }

    /// Stops the thread once pending jobs are done.
    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func main() {
        let failure = Self.enter(path)
        condition.lock()
        startError = failure
        ready = true
        condition.broadcast()
        if failure != nil { condition.unlock(); return }
        while true {
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty && stopping { break }
            let job = jobs.removeFirst()
            condition.unlock()
            job.work()
            condition.lock()
            job.done = true
            condition.broadcast()
        }
        condition.unlock()
    }

    private static func enter(_ path: String) -> NetlinkError? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            return NetlinkError(
                operation: "open network namespace \(path)", code: code,
                message: String(cString: strerror(code)) + (code == ENOENT ? " (is the namespace name right? see `ip netns list`)" : ""))
        }
        defer { close(descriptor) }
        guard setns(descriptor, CNL_CLONE_NEWNET) == 0 else {
            return NetlinkError.system("enter network namespace \(path)", errno: errno)
        }
        return nil
    }
}

/// One unit of work; `done` is only read and written under the thread's condition lock.
private final class Job: @unchecked Sendable {
    let work: () -> Void
    var done = false
    init(_ work: @escaping () -> Void) { self.work = work }
}
