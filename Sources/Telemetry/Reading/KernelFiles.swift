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

/// Reads kernel text files under a configurable /proc and /sys root, through one reusable buffer
/// so that a snapshot allocates little. Files stay open and are re-read from offset 0 (procfs and
/// sysfs regenerate their text on every read from the start), which saves an open and a close per
/// file per snapshot. Not safe for concurrent use: one collector owns one.
public final class KernelFiles {
    public let procRoot: String
    public let sysRoot: String
    private var buffer: UnsafeMutableRawBufferPointer
    /// Open descriptors by path, at most `maximumOpenFiles`.
    private var descriptors: [String: Int32] = [:]
    private let maximumOpenFiles: Int

    /// `maximumOpenFiles` 0 opens and closes every file on every read.
    public init(procRoot: String = "/proc", sysRoot: String = "/sys", maximumOpenFiles: Int = 128) {
        self.procRoot = procRoot
        self.sysRoot = sysRoot
        self.maximumOpenFiles = maximumOpenFiles
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
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileReadError(path: path, code: errno) }
        if descriptors.count < maximumOpenFiles && Self.regeneratesOnRead(path) {
            descriptors[path] = descriptor
        } else {
            defer { close(descriptor) }
            return try withContents(ofDescriptor: descriptor, path: path, body)
        }
        return try withContents(ofDescriptor: descriptor, path: path, body)
    }

    /// Reads an already open file from offset 0, e.g. a /proc/net file opened inside a namespace.
    public func withContents<T>(ofDescriptor descriptor: Int32, path: String, _ body: (TextBytes) throws -> T) throws -> T {
        var length = 0
        while true {
            if length == buffer.count { grow() }
            let count = pread(descriptor, buffer.baseAddress! + length, buffer.count - length, off_t(length))
            if count < 0 {
                if errno == EINTR { continue }
                throw FileReadError(path: path, code: errno)
            }
            if count == 0 { break }
            length += count
        }
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
        while let entry = readdir(directory) {
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

    private func grow() {
        let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 8)
        larger.copyMemory(from: UnsafeRawBufferPointer(buffer))
        buffer.deallocate()
        buffer = larger
    }
}
