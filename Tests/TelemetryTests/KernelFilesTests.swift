import Foundation
import Testing
@testable import Telemetry

@Suite("Reading kernel files")
struct KernelFilesTests {
    @Test("a /proc file kept open still reads fresh values")
    func procFilesRefresh() throws {
        let files = KernelFiles()
        let first = try files.withContents(of: "/proc/uptime", Uptime.parse(bytes:))
        Thread.sleep(forTimeInterval: 0.05)
        let second = try files.withContents(of: "/proc/uptime", Uptime.parse(bytes:))
        #expect(second.totalSeconds > first.totalSeconds)
    }

    @Test("a regular file replaced by a rename is read anew, not from a stale descriptor")
    func regularFilesReopen() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vct-files-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("leases").path
        try "first".write(toFile: path, atomically: true, encoding: .utf8)
        let files = KernelFiles()
        #expect(try files.string(path) == "first")
        try "second".write(toFile: path, atomically: true, encoding: .utf8)  // atomically = write + rename
        #expect(try files.string(path) == "second")
    }

    @Test("files larger than the initial buffer are read whole")
    func largeFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vct-large-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("big").path
        let text = String(repeating: "0123456789abcdef\n", count: 10_000)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try KernelFiles().withContents(of: path) { $0.count } == text.utf8.count)
    }

    @Test("a missing file is reported as missing")
    func missing() {
        #expect { try KernelFiles().string("/proc/vct-no-such-file") } throws: { ($0 as? FileReadError)?.isMissing == true }
    }
}
