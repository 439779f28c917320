#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import Telemetry

/// `snapshot --proc-root DIR` over a tree that fights back: FIFOs that never get a writer, a 50 MB file, a
/// symlink to an endless device. The snapshot completes quickly, drops exactly those sections with a
/// warning each, and reports everything else.
@Suite("Hostile fixture trees")
struct HostileTreeTests {
    /// A copy of fixtures/hosts/linux-6 in a temporary directory.
    static func copyOfLinux6() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vct-hostile-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.copyItem(at: Fixtures.host("linux-6"), to: directory)
        return directory
    }

    static func collector(_ root: URL) throws -> SnapshotCollector {
        var options = CollectorOptions()
        options.procRoot = root.appendingPathComponent("proc").path
        options.sysRoot = root.appendingPathComponent("sys").path
        options.readsNetlink = false
        let table = try Fixtures.space(of: "linux-6")
        options.mountSpace = { table[$0] }
        options.clock = { 1_764_000_000.5 }
        return try SnapshotCollector(options: options)
    }

    @Test("a FIFO meminfo, a 50 MB stat and a loadavg linked to /dev/zero drop their sections, nothing else")
    func fifoHugeFileAndDevice() throws {
        let root = try Self.copyOfLinux6()
        defer { try? FileManager.default.removeItem(at: root) }
        let proc = root.appendingPathComponent("proc")
        let meminfo = proc.appendingPathComponent("meminfo").path
        try FileManager.default.removeItem(atPath: meminfo)
        try #require(mkfifo(meminfo, 0o600) == 0, "mkfifo: errno \(errno)")
        let stat = proc.appendingPathComponent("stat").path
        try #require(truncate(stat, 50 * 1024 * 1024) == 0, "truncate: errno \(errno)")
        let loadavg = proc.appendingPathComponent("loadavg").path
        try FileManager.default.removeItem(atPath: loadavg)
        try FileManager.default.createSymbolicLink(atPath: loadavg, withDestinationPath: "/dev/zero")

        let started = Date()
        let (snapshot, warnings) = try Self.collector(root).collect()
        let seconds = Date().timeIntervalSince(started)
        #expect(seconds < 5, "the snapshot took \(seconds) s")

        let dropped = Dictionary(warnings.map { ($0.section, $0.message) }, uniquingKeysWith: { $0 + "; " + $1 })
        #expect(Set(dropped.keys) == ["meminfo", "stat", "loadavg"], "warnings: \(warnings)")
        #expect(dropped["meminfo"]?.contains("a FIFO") == true, "\(dropped["meminfo"] ?? "")")
        #expect(dropped["stat"]?.contains("larger than") == true, "\(dropped["stat"] ?? "")")
        #expect(dropped["loadavg"]?.contains("a character device") == true, "\(dropped["loadavg"] ?? "")")
        #expect(snapshot.memoryTotalBytes == nil && snapshot.cpuTimeUserMs == nil && snapshot.loadAverage1m == nil)
        // The rest of the tree is still reported.
        #expect(snapshot.uptimeTotalMs != nil)
        #expect(snapshot.disks?.isEmpty == false)
        #expect(snapshot.netdevs?.isEmpty == false)
        #expect(snapshot.snmpTcpInSegs != nil)
        #expect(snapshot.cpuPressure10s != nil)
        #expect(snapshot.mounts?.isEmpty == false)
        #expect(snapshot.platform == "linux-x86_64")
    }

    @Test("a file is read up to the cap and refused one byte past it; real /proc files (size 0) are read whole")
    func capIsExact() throws {
        let root = try Self.copyOfLinux6()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("exact").path
        let files = KernelFiles(maximumFileBytes: 100_000)
        try String(repeating: "x", count: 100_000).write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try files.withContents(of: path) { $0.count } == 100_000)
        try String(repeating: "x", count: 100_001).write(toFile: path, atomically: false, encoding: .utf8)
        #expect { try files.withContents(of: path) { $0.count } } throws: { ($0 as? FileRefusedError)?.reason.contains("larger than 100000") == true }
        // The real /proc reports size 0 for its regular files: still read whole.
        #expect(try KernelFiles(maximumFileBytes: 100_000).withContents(of: "/proc/self/status") { $0.count } > 0)
    }

    @Test("a directory lists at most 4,096 names, however many it holds")
    func directoryEntriesAreCapped() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vct-entries-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for index in 0..<5000 {
            let fd = open(directory.appendingPathComponent("thermal_zone\(index)").path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
            try #require(fd >= 0)
            close(fd)
        }
        #expect(KernelFiles().entries(of: directory.path).count == KernelFiles.maximumDirectoryEntries)
    }

    @Test("a FIFO, a socket and a directory are refused without blocking")
    func irregularFiles() throws {
        let root = try Self.copyOfLinux6()
        defer { try? FileManager.default.removeItem(at: root) }
        let fifo = root.appendingPathComponent("fifo").path
        try #require(mkfifo(fifo, 0o600) == 0)
        let socketPath = root.appendingPathComponent("sock").path
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in socketPath.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        try #require(bound == 0, "bind: errno \(errno)")
        let files = KernelFiles()
        for (path, kind) in [(fifo, "a FIFO"), (socketPath, "a socket"), (root.path, "a directory")] {
            #expect { try files.string(path) } throws: { ($0 as? FileRefusedError)?.reason.contains(kind) == true }
        }
    }
}
