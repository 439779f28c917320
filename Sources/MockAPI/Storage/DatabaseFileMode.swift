#if canImport(Glibc)
import Glibc
#endif

/// Keeps the database and its `-wal`/`-shm`/`-journal` companions readable by the owner only (0600): they hold CA
/// keys and token hashes. Without umask games (the umask is process-wide and other threads create files): the
/// file is created 0600 before SQLite opens it, and SQLite gives its companions the main file's mode.
enum DatabaseFileMode {
    static let mode: mode_t = 0o600
    static let companions = ["", "-wal", "-shm", "-journal"]

    /// Creates `path` (0600) if it is missing and sets 0600 on it and on every companion that exists.
    static func restrict(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw DatabaseFileError(path: path, operation: "create", code: errno) }
        defer { close(descriptor) }
        guard fchmod(descriptor, mode) == 0 else { throw DatabaseFileError(path: path, operation: "chmod 0600", code: errno) }
        for suffix in companions.dropFirst() {
            let companion = path + suffix
            if chmod(companion, mode) != 0 && errno != ENOENT {
                throw DatabaseFileError(path: companion, operation: "chmod 0600", code: errno)
            }
        }
    }
}

/// The database file could not be created or restricted.
public struct DatabaseFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let operation: String
    public let code: Int32

    public var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
}
