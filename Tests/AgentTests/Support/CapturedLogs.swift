import Logging
import Synchronization

/// A logger whose lines are kept for the test to read: "LEVEL message key=value ...", one entry per call.
final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func logger(level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: "test.agent.captured") { _ in Handler(box: self) }
        logger.logLevel = level
        return logger
    }

    /// Lines at `level` whose text contains `fragment`.
    func lines(_ level: Logger.Level, containing fragment: String) -> [String] {
        all.filter { $0.hasPrefix(level.rawValue.uppercased() + " ") && $0.contains(fragment) }
    }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let box: CapturedLogs
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            box.append("\(event.level.rawValue.uppercased()) \(event.message) \(fields)")
        }
    }
}
