#if canImport(Glibc)
import Glibc
#endif

/// A file that could not be read; `isMissing` when it does not exist (the kernel does not offer it).
public struct FileReadError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let code: Int32

    public var isMissing: Bool { code == ENOENT || code == ENOTDIR }
    public var description: String { "\(path): \(String(cString: strerror(code)))" }
}

/// A file that was not read because it could hang the reader or grow its memory: not a regular file (a FIFO, a
/// device, a socket in a hostile `--proc-root` tree), or larger than the reader's cap.
public struct FileRefusedError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String

    public var description: String { "\(path): refused, \(reason)" }
}

/// Reads kernel text files under a configurable /proc and /sys root, through one reusable buffer
/// so that a snapshot allocates little. Files stay open and are re-read from offset 0 (procfs and
/// sysfs regenerate their text on every read from the start), which saves an open and a close per
/// file per snapshot. Not safe for concurrent use: one collector owns one.
///
/// The tree may be hostile (`snapshot --proc-root DIR`): only regular files are read (procfs and sysfs files
/// are regular, of size 0), opened without blocking, at most `maximumFileBytes` each; directories list at most
/// `maximumDirectoryEntries` names.
public final class KernelFiles {
    public let procRoot: String
    public let sysRoot: String
    /// Largest file read; a larger one is refused whole (its section is dropped), not cut.
    public let maximumFileBytes: Int
    public static let defaultMaximumFileBytes = 4 * 1024 * 1024
    /// Most names `entries(of:)` returns; the rest (in directory order) are ignored.
    public static let maximumDirectoryEntries = 4096
    private var buffer: UnsafeMutableRawBufferPointer
    /// Open descriptors by path, at most `maximumOpenFiles`.
    private var descriptors: [String: Int32] = [:]
    private let maximumOpenFiles: Int

    /// `maximumOpenFiles` 0 opens and closes every file on every read.
    public init(
        procRoot: String = "/proc", sysRoot: String = "/sys", maximumOpenFiles: Int = 128,
        maximumFileBytes: Int = defaultMaximumFileBytes
    ) {
        self.procRoot = procRoot
        self.sysRoot = sysRoot
        self.maximumOpenFiles = maximumOpenFiles
        self.maximumFileBytes = maximumFileBytes
        buffer = .allocate(byteCount: 64 * 1024, alignment: 8)
    }

    deinit {
        buffer.deallocate()
        for descriptor in descriptors.values { close(descriptor) }
    }

    /// A path under the proc root, e.g. proc("stat").
    public func proc(_ relative: String) -> String { procRoot + "/" + relative }
    /// A path under the sys root, e.g. sys("class/thermal").
    public func sys(_ relative: String) -> String { sysRoot + "/" + relative }

    /// Reads the whole file and hands its bytes to `body` (valid only during the call).
    public func withContents<T>(of path: String, _ body: (TextBytes) throws -> T) throws -> T {
        if let descriptor = descriptors[path] {
            do {
                return try withContents(ofDescriptor: descriptor, path: path, body)
            } catch let error as FileReadError {
                // The file went away (a removed device, an unloaded driver): forget it, open afresh.
                close(descriptor)
                descriptors[path] = nil
                if error.code != ENODEV && error.code != ESTALE && error.code != ENOENT { throw error }
            }
        }
        let descriptor = try openRegularFile(path)
        if descriptors.count < maximumOpenFiles && Self.regeneratesOnRead(path) {
            descriptors[path] = descriptor
        } else {
            defer { close(descriptor) }
            return try withContents(ofDescriptor: descriptor, path: path, body)
        }
        return try withContents(ofDescriptor: descriptor, path: path, body)
    }

    /// Reads an already open file from offset 0, e.g. a /proc/net file opened inside a namespace; at most
    /// `maximumFileBytes` (one byte more is read to tell a file of exactly that size from a larger one).
    public func withContents<T>(ofDescriptor descriptor: Int32, path: String, _ body: (TextBytes) throws -> T) throws -> T {
        var length = 0
        while true {
            if length == buffer.count {
                guard length <= maximumFileBytes else {
                    throw FileRefusedError(path: path, reason: "larger than \(maximumFileBytes) bytes")
                }
                grow()
            }
            let count = pread(descriptor, buffer.baseAddress! + length, buffer.count - length, off_t(length))
            if count < 0 {
                if errno == EINTR { continue }
                throw FileReadError(path: path, code: errno)
            }
            if count == 0 { break }
            length += count
        }
        guard length <= maximumFileBytes else { throw FileRefusedError(path: path, reason: "larger than \(maximumFileBytes) bytes") }
        let bytes = UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: length)
        return try body(bytes)
    }

    /// The file's text, without the trailing newline.
    public func string(_ path: String) throws -> String {
        try withContents(of: path) { bytes in
            var end = bytes.count
            while end > 0 && (bytes[end - 1] == 0x0A || bytes[end - 1] == 0x20) { end -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
        }
    }

    /// The file's text as a signed integer (sysfs values such as millidegrees).
    public func integer(_ path: String) throws -> Int64 {
        let text = try string(path)
        guard let value = Int64(text) else { throw ParseError("\(path): '\(text)' is not an integer") }
        return value
    }

    /// True when the path exists.
    public func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Names in a directory (without . and ..), sorted; empty when the directory does not exist.
    public func entries(of path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while names.count < Self.maximumDirectoryEntries, let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// True under /proc and /sys, whose files produce fresh text on every read from offset 0. A regular
    /// file may be replaced by a rename, which an open descriptor would never see: those are reopened.
    private static func regeneratesOnRead(_ path: String) -> Bool {
        path.hasPrefix("/proc/") || path.hasPrefix("/sys/")
    }

    /// Opens `path` for reading if it is a regular file. Checked before opening (opening a device can have
    /// effects of its own) and again on the descriptor (the path may have changed in between); O_NONBLOCK so
    /// that opening a FIFO never waits for a writer. Under the real /proc and /sys (no device nodes or FIFOs
    /// there) only the descriptor is checked: a path lookup in procfs costs microseconds per file.
    private func openRegularFile(_ path: String) throws -> Int32 {
        var status = stat()
        if !Self.regeneratesOnRead(path) {
            guard stat(path, &status) == 0 else { throw FileReadError(path: path, code: errno) }
            if let kind = Self.irregularKind(status.st_mode) { throw FileRefusedError(path: path, reason: "not a regular file (\(kind))") }
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else { throw FileReadError(path: path, code: errno) }
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw FileReadError(path: path, code: code)
        }
        if let kind = Self.irregularKind(status.st_mode) {
            close(descriptor)
            throw FileRefusedError(path: path, reason: "not a regular file (\(kind))")
        }
        return descriptor
    }

    /// "a FIFO", "a character device"...; nil for a regular file.
    private static func irregularKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFDIR: "a directory"
        default: "not a regular file"
        }
    }

    /// Doubles the buffer, but never past what one capped read needs.
    private func grow() {
        let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: min(buffer.count * 2, maximumFileBytes + 1), alignment: 8)
        larger.copyMemory(from: UnsafeRawBufferPointer(buffer))
        buffer.deallocate()
        buffer = larger
    }
}
