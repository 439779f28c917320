import Foundation

/// The lock one apply or teardown of a site holds (`flock` on `<state root>/locks/<key>.lock`), so two of them
/// (a `site apply` by hand while the agent reconciles, two agents, a `lab down` during an apply) never
/// interleave their operations. A second one waits, saying once who holds it, and fails clearly after
/// `timeout`. The kernel releases the lock when its holder dies, so a crash leaves nothing to clean up.
enum SiteLock {
    /// Runs `body` holding the lock at `path`; `waiting` is called once (with the holder's pid when known) if it
    /// has to wait. With `removeFile` (teardown: the site is gone) the file is unlinked before the lock is released.
    static func holding<T>(
        _ path: String, timeout: Duration, removeFile: Bool = false, waiting: (Int32?) -> Void, _ body: () throws -> T
    ) throws -> T {
        let descriptor = try acquire(path, timeout: timeout, waiting: waiting)
        defer {
            if removeFile { unlink(path) }
            close(descriptor)
        }
        return try body()
    }

    private static func acquire(_ path: String, timeout: Duration, waiting: (Int32?) -> Void) throws(SiteLockError)
        -> Int32
    {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try SiteReconciler.makeDirectory(directory)
        } catch {
            throw SiteLockError(.system, path: path, reason: "cannot create \(directory): \(error)")
        }
        let deadline = ContinuousClock.now + timeout
        var announced = false
        while true {
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard descriptor >= 0 else {
                throw SiteLockError(.system, path: path, reason: String(cString: strerror(errno)))
            }
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                // A holder that finished a teardown unlinked the file while we waited on it: our lock is on a
                // file nobody else will open again. Only a lock on the file at `path` counts.
                var held = stat()
                var current = stat()
                if fstat(descriptor, &held) == 0, stat(path, &current) == 0, held.st_ino == current.st_ino,
                    held.st_dev == current.st_dev
                {
                    let pid = Array("\(getpid())\n".utf8)
                    ftruncate(descriptor, 0)
                    _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
                    return descriptor
                }
                close(descriptor)
                continue
            }
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                close(descriptor)
                throw SiteLockError(.system, path: path, reason: String(cString: strerror(code)))
            }
            if !announced {
                announced = true
                var buffer = [UInt8](repeating: 0, count: 32)
                let count = pread(descriptor, &buffer, buffer.count, 0)
                let holder =
                    count > 0
                    ? Int32(
                        String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(
                            in: .whitespacesAndNewlines)) : nil
                waiting(holder)
            }
            close(descriptor)
            guard ContinuousClock.now < deadline else {
                throw SiteLockError(
                    .heldByAnother, path: path,
                    reason: "another apply or teardown of this site still holds it after \(timeout)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}

/// The site's lock could not be taken: `code` for callers that act on the kind, `reason` for people.
public struct SiteLockError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable, Equatable {
        /// Another apply or teardown of the site held the lock for the whole timeout: try again later.
        case heldByAnother
        /// The lock file could not be created, opened or locked.
        case system
    }

    public var code: Code
    public var path: String
    public var reason: String

    init(_ code: Code, path: String, reason: String) {
        self.code = code
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot lock the site (\(path)): \(reason)" }
}
