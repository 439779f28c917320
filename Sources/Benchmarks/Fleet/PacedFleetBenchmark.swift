import ConnectorAPI
import Foundation
import Logging

/// `vconnector bench fleet --paced N`: the fleet as it is run, `vconnector fleet --connectors N --out api` at a
/// real-time interval in its own process, against mock-api served from this one. After the connectors are created
/// and attested ("running") and a warm-up of two intervals, the fleet process's CPU (utime + stime from
/// /proc/PID/stat) and resident memory (VmRSS, sampled every second) are measured over `seconds`: what the issue's
/// budget (a quarter of a core, 300 MB, 30 KB a connector for 10,000 at 10 s) is about. The mock's CPU is not in it.
public struct PacedFleetBenchmark: Sendable {
    public struct Options: Sendable {
        public var connectors = 10_000
        public var interval = 10.0
        public var seconds = 60.0
        public var seed: UInt64 = 1
        /// Longest wait for the fleet to create and attest its connectors.
        public var startupTimeout = 900.0
        public init() {}
    }

    public struct Result: Codable, Sendable {
        public var connectors: Int
        public var intervalSeconds: Double
        public var startupSeconds: Double
        public var measuredSeconds: Double
        public var cpuPercentOfCore: Double
        public var residentMegabytesMedian: Double
        public var residentMegabytesMax: Double
        public var kilobytesPerConnector: Double
        public var snapshotsStoredPerSecond: Double
        public var expectedSnapshotsPerSecond: Double
        public var summary: String

        enum CodingKeys: String, CodingKey {
            case connectors, summary
            case intervalSeconds = "interval_s"
            case startupSeconds = "startup_s"
            case measuredSeconds = "measured_s"
            case cpuPercentOfCore = "fleet_cpu_percent_of_core"
            case residentMegabytesMedian = "fleet_rss_mb_median"
            case residentMegabytesMax = "fleet_rss_mb_max"
            case kilobytesPerConnector = "fleet_rss_kb_per_connector"
            case snapshotsStoredPerSecond = "mock_snapshots_stored_per_s"
            case expectedSnapshotsPerSecond = "expected_snapshots_per_s"
        }
    }

    let options: Options
    let logger: Logger

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    static let token = "bench-fleet-paced-token"
    static let account = "benchfleetpaced0000000000000000a"

    public func run() async throws -> Result {
        let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let mock = try await InProcessMockAPI.start(account: Self.account, token: Self.token, logger: logger)
        do {
            let result = try await measure(binary: binary, mock: mock)
            await mock.stop()
            return result
        } catch {
            await mock.stop()
            throw error
        }
    }

    /// Runs the fleet process against `mock` and measures it; the process is gone when this returns or throws.
    private func measure(binary: String, mock: InProcessMockAPI) async throws -> Result {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(
            "vconnector-bench-fleet-paced-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: binary)
        child.arguments = [
            "fleet", "--connectors", "\(options.connectors)", "--api-base", mock.base.absoluteString, "--account-id",
            Self.account, "--interval", "\(options.interval)s", "--seed", "\(options.seed)", "--no-live-host",
            "--out", "api",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["VCONNECTOR_API_TOKEN"] = Self.token
        child.environment = environment
        child.standardError = try FileHandle(forWritingTo: log)
        child.standardOutput = FileHandle.nullDevice
        let started = ContinuousClock.now
        try child.run()
        defer {
            if child.isRunning {
                kill(child.processIdentifier, SIGKILL)
                child.waitUntilExit()
            }
        }

        // The fleet says "running" once its connectors exist and are attested.
        while !(try String(contentsOf: log, encoding: .utf8)).contains("; running") {
            guard child.isRunning else {
                throw BenchmarkFailure("the fleet exited during start-up: \(try String(contentsOf: log, encoding: .utf8))")
            }
            guard ContinuousClock.now - started < .seconds(options.startupTimeout) else {
                throw BenchmarkFailure("the fleet did not start within \(options.startupTimeout) s")
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let startup = (ContinuousClock.now - started).seconds
        logger.info("bench fleet --paced: running", metadata: ["startup_s": "\(startup)"])
        try await Task.sleep(for: .seconds(2 * options.interval))

        let probe = ProcessProbe(pid: child.processIdentifier)
        let storedStart = try Self.storedSnapshots(port: mock.port)
        let cpuStart = probe.cpuSeconds, wallStart = ContinuousClock.now
        var resident: [Double] = []
        while ContinuousClock.now - wallStart < .seconds(options.seconds) {
            guard child.isRunning else { throw BenchmarkFailure("the fleet exited while measured") }
            if let value = probe.residentMegabytes { resident.append(value) }
            try await Task.sleep(for: .seconds(1))
        }
        let cpu = probe.cpuSeconds - cpuStart
        let measured = (ContinuousClock.now - wallStart).seconds
        let stored = try Self.storedSnapshots(port: mock.port) - storedStart
        kill(child.processIdentifier, SIGTERM)
        child.waitUntilExit()
        let summary =
            (try String(contentsOf: log, encoding: .utf8)).split(separator: "\n").last { $0.hasPrefix("fleet: ") }
            .map(String.init) ?? ""

        resident.sort()
        let median = resident.isEmpty ? 0 : resident[resident.count / 2]
        return Result(
            connectors: options.connectors, intervalSeconds: options.interval,
            startupSeconds: Statistics.rounded(startup, places: 1), measuredSeconds: Statistics.rounded(measured, places: 1),
            cpuPercentOfCore: Statistics.rounded(cpu / measured * 100, places: 1),
            residentMegabytesMedian: Statistics.rounded(median, places: 1),
            residentMegabytesMax: Statistics.rounded(resident.last ?? 0, places: 1),
            kilobytesPerConnector: Statistics.rounded(median * 1024 / Double(options.connectors), places: 1),
            snapshotsStoredPerSecond: Statistics.rounded(Double(stored) / measured, places: 0),
            expectedSnapshotsPerSecond: Statistics.rounded(Double(options.connectors) / options.interval, places: 0),
            summary: summary
        )
    }

    /// mock-api's `mockapi_ingest_snapshots_stored_total` from its /metrics, on a new connection each time (a
    /// connection kept over the measured minute is closed by the server's idle timeout).
    private static func storedSnapshots(port: Int) throws -> Int {
        let (status, body) = try LoopbackHTTPClient(port: port).send("GET", "/metrics", token: token)
        guard status == 200 else { throw BenchmarkFailure("mock-api /metrics answered \(status)") }
        let line = String(decoding: body, as: UTF8.self).split(separator: "\n").first {
            $0.hasPrefix("mockapi_ingest_snapshots_stored_total ")
        }
        guard let line, let value = Double(line.split(separator: " ").last ?? "") else {
            throw BenchmarkFailure("mock-api /metrics has no mockapi_ingest_snapshots_stored_total")
        }
        return Int(value)
    }
}
