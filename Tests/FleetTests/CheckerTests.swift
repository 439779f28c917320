import Fleet
import Foundation
import TestSupport
import Testing

@Suite struct CheckerTests {
    /// A recorded fleet in a new directory, and a way to edit one line of one of its files.
    struct Recorded {
        let directory: URL
        let connector: String

        func edit(_ kind: String, line: Int, _ change: (inout [String: Any]) -> Void) throws {
            let file = directory.appendingPathComponent(NDJSONSink.fileName(connector: connector, kind: kind))
            var lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
            var object = try #require(try JSONSerialization.jsonObject(with: Data(lines[line].utf8)) as? [String: Any])
            change(&object)
            lines[line] = String(
                decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
            try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        }

        func check() async throws -> FleetChecker.Report {
            try await offPool { try FleetChecker.check(directory: directory.path) }
        }
    }

    func recorded() async throws -> Recorded {
        let plan = try FleetFixtures.plan(connectors: 2, interval: 60, hours: 1)
        let sink = try await FleetFixtures.record(plan)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fleet-check-\(UUID().uuidString)")
        try sink.write(to: directory)
        return Recorded(directory: directory, connector: plan.offlineID(of: 0))
    }

    @Test func aRecordedFleetPasses() async throws {
        let recorded = try await recorded()
        defer { try? FileManager.default.removeItem(at: recorded.directory) }
        let report = try await recorded.check()
        #expect(report.connectors == 2 && report.snapshots == 120 && report.events == 8)
        #expect(report.violations.isEmpty, "\(report.violations.prefix(5))")
    }

    @Test func aCounterThatGoesDownIsCaughtWithItsConnectorTimeAndField() async throws {
        let recorded = try await recorded()
        defer { try? FileManager.default.removeItem(at: recorded.directory) }
        var t = 0.0
        try recorded.edit("snapshots", line: 30) { snapshot in
            snapshot["kernel_ctxt"] = 5
            t = snapshot["t"] as? Double ?? 0
        }
        let violations = try await recorded.check().violations
        #expect(
            violations.contains {
                $0.connector == recorded.connector && $0.field == "kernel_ctxt" && abs($0.t - t) < 0.001
            })
    }

    @Test func brokenSumsOrderAndLifecycleAreCaught() async throws {
        let recorded = try await recorded()
        defer { try? FileManager.default.removeItem(at: recorded.directory) }
        try recorded.edit("snapshots", line: 5) { $0["memory_slab_bytes"] = 1 }
        try recorded.edit("snapshots", line: 6) { $0["cpu_time_idle_ms"] = 0 }
        try recorded.edit("snapshots", line: 7) {
            $0["memory_free_bytes"] = ($0["memory_total_bytes"] as? Int ?? 0) * 2
        }
        try recorded.edit("snapshots", line: 9) { $0["t"] = 1.0e9 }
        try recorded.edit("events", line: 0) { $0["e"] = ["k": "Reconcile"] }
        try recorded.edit("snapshots", line: 10) { snapshot in
            var tunnels = snapshot["tunnels"] as? [[String: Any]] ?? []
            tunnels[0]["health_state"] = "healthy"
            tunnels[0]["health_value"] = 3
            snapshot["tunnels"] = tunnels
        }
        let fields = Set(
            try await recorded.check().violations.filter { $0.connector == recorded.connector }.map(\.field))
        for field in ["memory_slab_bytes", "cpu_time_*_ms", "memory_free_bytes", "t", "e.k", "tunnels[ipsec0].health_state"] {
            #expect(fields.contains(field), "no violation of \(field) in \(fields.sorted())")
        }
    }

    @Test func aLineThatIsNeitherIsReported() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fleet-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try #"{"hello": 1}"#.write(
            to: directory.appendingPathComponent("x.snapshots.ndjson"), atomically: true, encoding: .utf8)
        let report = try FleetChecker.check(directory: directory.path)
        #expect(report.violations.map(\.field) == ["x.snapshots.ndjson:1"])
        #expect(throws: FleetError.self) {
            try FleetChecker.check(directory: directory.appendingPathComponent("missing").path)
        }
    }
}
