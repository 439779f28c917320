import Foundation
import Telemetry

/// Another process's CPU and memory, read from /proc/PID and parsed by Telemetry's pure parsers.
struct ProcessProbe {
    let pid: Int32

    /// utime + stime in seconds; 0 when the process is gone.
    var cpuSeconds: Double {
        (try? read("stat").map(ProcessStat.parse)?.cpuSeconds) ?? 0
    }

    /// VmRSS in megabytes.
    var residentMegabytes: Double? { read("status").flatMap { ProcessMemory.parse($0).residentMegabytes } }

    /// smaps_rollup: `Pss` shares the binary's and libraries' pages among the processes that map them (the bench
    /// itself maps the same libraries, and the same binary when the agent is `self`); `Anonymous` is heap and stacks.
    var rollup: ProcessMemory { ProcessMemory.parse(read("smaps_rollup") ?? "") }

    /// Resident megabytes per mapped file (smaps).
    var residentMegabytesByMapping: [String: Double] {
        ProcessMappings.residentKilobytes(read("smaps") ?? "").mapValues { Double($0) / 1024 }
    }

    /// A /proc file read to its end with read(2): it reports size 0, and String(contentsOfFile:) returned only
    /// the first part of a large smaps (the binary's mappings, none of the libraries').
    private func read(_ file: String) -> String? {
        let descriptor = open("/proc/\(pid)/\(file)", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
