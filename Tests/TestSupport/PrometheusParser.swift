import Foundation

/// Parses Prometheus text with a real parser (python3 prometheus_client, run on fixtures/metrics/parse_exposition.py),
/// so tests check what Prometheus itself would read, not what our own code thinks it wrote.
public enum PrometheusParser {
    public struct Sample: Sendable, Equatable {
        public let family: String
        public let type: String
        public let name: String
        public let labels: [String: String]
        public let value: Double
    }

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The python3 that has prometheus_client (Debian's /usr/bin/python3 with python3-prometheus-client, or the
    /// PATH's), nil when none does.
    public static let python: String? = {
        for candidate in ["/usr/bin/python3", "python3"] {
            if (try? run([candidate, "-c", "import prometheus_client.parser"], input: Data()).status) == 0 { return candidate }
        }
        return nil
    }()

    public static let unavailableReason = "python3 with prometheus_client is not installed (scripts/install-deps installs python3-prometheus-client)"

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/metrics/parse_exposition.py").path

    public static func parse(_ text: String) throws -> [Sample] {
        guard let python else { throw ParseError(description: unavailableReason) }
        let (status, output, errors) = try run([python, script], input: Data(text.utf8))
        guard status == 0 else { throw ParseError(description: "prometheus_client could not parse the exposition: \(errors)") }
        guard let items = try JSONSerialization.jsonObject(with: output) as? [[String: Any]] else {
            throw ParseError(description: "unexpected parser output")
        }
        return items.map { item in
            let value: Double = (item["value"] as? Double) ?? ((item["value"] as? String) == "+Inf" ? .infinity : .nan)
            return Sample(
                family: item["family"] as? String ?? "", type: item["type"] as? String ?? "", name: item["name"] as? String ?? "",
                labels: item["labels"] as? [String: String] ?? [:], value: value
            )
        }
    }

    /// The value of the one sample named `name` with exactly these labels (nil: no such sample).
    public static func value(_ samples: [Sample], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    private static func run(_ arguments: [String], input: Data) throws -> (status: Int32, output: Data, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Written from another thread: a large exposition would fill the pipe while we wait to read.
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output, String(decoding: errors, as: UTF8.self))
    }
}
