import Foundation
import TestSupport

/// A small tmpfs mounted on a new scratch directory (needs root), so a test can fill a file system for real.
/// `unmount()` must be called (in a defer); it removes the directory too.
final class TmpfsMount {
    let path: String

    init(bytes: Int) throws {
        path = TestScratch.path("tmpfs")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let result = try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(bytes),mode=0700", "vconnector-test", path])
        guard result == 0 else {
            rmdir(path)
            throw MockCallError(description: "mount -t tmpfs on \(path) failed with status \(result)")
        }
    }

    func unmount() {
        _ = try? Self.run("/bin/umount", [path])
        rmdir(path)
    }

    /// Writes a file at `name` until the file system is full; its path.
    func fill(_ name: String = "filler") -> String {
        let file = path + "/" + name
        let fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        defer { close(fd) }
        for size in [65_536, 4096, 512, 1] {
            let block = [UInt8](repeating: 0x5a, count: size)
            while block.withUnsafeBytes({ write(fd, $0.baseAddress, size) }) == size {}
        }
        return file
    }

    /// True when this process can mount a tmpfs (root, and a kernel and container that allow it).
    static let isAvailable: Bool = {
        guard geteuid() == 0, let probe = try? TmpfsMount(bytes: 1 << 20) else { return false }
        probe.unmount()
        return true
    }()

    private static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
