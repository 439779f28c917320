import ConnectorAPI
import Foundation

/// `vconnector fleet check DIR`: reads a recorded fleet (NDJSON files, see `NDJSONSink`) and checks every
/// invariant of docs/fleet.md, per connector, in file order. Also for real data: any `*.ndjson` whose lines are
/// snapshots or events; the connector is the file name up to its first dot.
public enum FleetChecker {
    public struct Report: Sendable {
        public var connectors = 0
        public var snapshots = 0
        public var events = 0
        public var violations: [Violation] = []

        /// One connector's records, counted and checked.
        mutating func add(connector: String, snapshots: [Snapshot], events: [RecordedEvent]) {
            connectors += 1
            self.snapshots += snapshots.count
            self.events += events.count
            violations += FleetChecker.check(connector: connector, snapshots: snapshots, events: events)
        }
    }

    /// Tolerances, each the slack real kernels need (see docs/fleet.md).
    enum Tolerance {
        /// Sum of CPU times over uptime x CPUs: at least this share (idle CPUs offline, tick accounting lag)...
        static let cpuSumLow = 0.95
        /// ...and at most this.
        static let cpuSumHigh = 1.01
        /// Milliseconds per CPU of slack for the first seconds after boot.
        static let cpuSumSlackMs = 2000.0
        /// Memory parts may exceed MemTotal by this share (pages counted in two fields while they move).
        static let memory = 1.01
        /// A boot time that moves by more than this (seconds) is a reboot, not NTP adjusting the clock.
        static let reboot = 2.0
        /// boot time + uptime may differ from `t` by this (seconds): suspend, clock steps.
        static let clock = 120.0
        /// PSI averages compared between some and full (two decimals, read at slightly different moments).
        static let pressure = 0.02
        /// A lease listed this long (seconds) after it expired.
        static let expiredLease = 300.0
    }

    public static func check(directory: String) throws -> Report {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".ndjson") }
                .sorted()
        } catch {
            throw FleetError("\(directory) cannot be read as a directory: \(error.localizedDescription)")
        }
        guard !files.isEmpty else { throw FleetError("\(directory) holds no .ndjson file") }
        var byConnector: [String: (snapshots: [Snapshot], events: [RecordedEvent])] = [:]
        var report = Report()
        let decoder = JSONDecoder()
        for file in files {
            let connector = String(file.prefix { $0 != "." })
            guard let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(file))
            else {
                throw FleetError("\(file): cannot be read")
            }
            var entry = byConnector[connector] ?? ([], [])
            for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated()
            where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
                // An event has "e"; anything else must be a snapshot.
                if let event = try? decoder.decode(RecordedEvent.self, from: line) {
                    entry.events.append(event)
                } else {
                    do {
                        entry.snapshots.append(try decoder.decode(Snapshot.self, from: line))
                    } catch {
                        report.violations.append(
                            Violation(
                                connector: connector, t: 0, field: "\(file):\(number + 1)",
                                message: "neither a snapshot nor an event: \(error)"))
                    }
                }
            }
            byConnector[connector] = entry
        }
        for (connector, records) in byConnector.sorted(by: { $0.key < $1.key }) {
            report.add(connector: connector, snapshots: records.snapshots, events: records.events)
        }
        return report
    }

    /// Every invariant of one connector's records.
    public static func check(connector: String, snapshots: [Snapshot], events: [RecordedEvent]) -> [Violation] {
        var violations: [Violation] = []
        func fail(_ t: Double, _ field: String, _ message: String) {
            violations.append(Violation(connector: connector, t: t, field: field, message: message))
        }
        for snapshot in snapshots { SnapshotInvariants.check(snapshot, fail: fail) }
        for (previous, next) in zip(snapshots, snapshots.dropFirst()) {
            SnapshotInvariants.check(from: previous, to: next, events: events, fail: fail)
        }
        EventInvariants.check(events, fail: fail)
        return violations
    }

    static func timeText(_ t: Double) -> String { String(format: "%.6f", t) }
}
