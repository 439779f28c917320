import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Private files of the state directory: written 0600, atomically (temp file, fsync, rename, fsync of the
/// directory), so a crash leaves either the old content or the new, never a mix.
enum SecureFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func write(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var failure: String?
        fchmod(fd, 0o600)
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = "cannot write \(temporary): \(String(cString: strerror(errno)))"
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = "cannot fsync \(temporary): \(String(cString: strerror(errno)))" }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))" }
        if let failure {
            unlink(temporary)
            throw Failure(description: failure)
        }
        syncDirectory(of: path)
    }

    static func read(_ path: String) -> Data? {
        FileManager.default.contents(atPath: path)
    }

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Renames `from` over `to` and makes the rename durable.
    static func move(_ from: String, over to: String) throws {
        guard rename(from, to) == 0 else { throw Failure(description: "cannot rename \(from) to \(to): \(String(cString: strerror(errno)))") }
        syncDirectory(of: to)
    }

    static func remove(_ path: String) {
        if unlink(path) == 0 { syncDirectory(of: path) }
    }

    /// A private directory (0700), created if missing.
    static func directory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(description: "cannot create \(path): \(error.localizedDescription)")
        }
        guard chmod(path, 0o700) == 0 else { throw Failure(description: "cannot set mode 0700 on \(path): \(String(cString: strerror(errno)))") }
    }

    /// Seconds since the epoch of the last change of `path`, nil when it does not exist.
    static func modified(_ path: String) -> Double? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
    }

    private static func syncDirectory(of path: String) {
        let fd = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
