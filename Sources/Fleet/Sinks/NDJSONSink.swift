import Blocking
import Foundation
import Synchronization

/// One file per connector and kind in `directory`: `<connector id>.snapshots.ndjson` and
/// `<connector id>.events.ndjson`, one record per line, exactly the JSON the agent sends (the seed's schema).
/// Lines are buffered per file and appended in pieces of about 64 KiB, so a thousand connectors need no
/// thousand open files.
public final class NDJSONSink: FleetSink {
    public let directory: URL
    private let buffers = Mutex<[String: Data]>([:])
    private static let flushBytes = 64 << 10

    /// Creates `directory` if needed; refuses one that already holds a fleet's files (runs would interleave).
    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let existing = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
            $0.hasSuffix(".ndjson")
        }
        guard existing.isEmpty else {
            throw FleetError(
                "\(directory.path) already holds \(existing.count) .ndjson files; give an empty or new directory")
        }
    }

    public static func fileName(connector: String, kind: String) -> String { "\(connector).\(kind).ndjson" }

    public func deliver(_ batch: [ConnectorRecords]) async throws {
        let full = buffers.withLock { buffers in
            for records in batch {
                append(records.events, to: Self.fileName(connector: records.connectorID, kind: "events"), in: &buffers)
                append(
                    records.snapshots, to: Self.fileName(connector: records.connectorID, kind: "snapshots"),
                    in: &buffers)
            }
            let full = buffers.filter { $0.value.count >= Self.flushBytes }
            for name in full.keys { buffers[name] = Data() }
            return full
        }
        try await write(full)
    }

    public func finish() async throws {
        try await write(
            buffers.withLock { buffers in
                defer { buffers = [:] }
                return buffers.filter { !$0.value.isEmpty }
            })
    }

    private func append(_ lines: [Data], to name: String, in buffers: inout [String: Data]) {
        guard !lines.isEmpty else { return }
        var buffer = buffers[name] ?? Data()
        for line in lines {
            buffer.append(line)
            buffer.append(UInt8(ascii: "\n"))
        }
        buffers[name] = buffer
    }

    private func write(_ pieces: [String: Data]) async throws {
        guard !pieces.isEmpty else { return }
        let directory = directory
        try await Blocking.run { _ in
            for (name, data) in pieces {
                let path = directory.appendingPathComponent(name).path
                let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
                guard fd >= 0 else { throw FleetError("cannot write \(path): \(String(cString: strerror(errno)))") }
                defer { close(fd) }
                try data.withUnsafeBytes { bytes in
                    var offset = 0
                    while offset < bytes.count {
                        let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                        if written < 0, errno == EINTR { continue }
                        guard written > 0 else {
                            throw FleetError("cannot write \(path): \(String(cString: strerror(errno)))")
                        }
                        offset += written
                    }
                }
            }
        }
    }
}
