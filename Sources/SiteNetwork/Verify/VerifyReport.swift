import ConnectorAPI
import Foundation

/// One measured question: what the config says, what the packet did, and whether they agree.
public struct VerifyCheck: Sendable, Codable, Equatable {
    public var from: String
    public var to: String
    public var probe: Probe
    public var expected: Decision
    public var seen: Seen
    public var passed: Bool
    /// Why it failed (expected vs seen, in words); nil when it passed.
    public var problem: String?
    /// The fault in force when it was measured (`wan-down isp-a`), nil for the lab as it is.
    public var phase: String?
}

/// A lab host's DHCP exchange, checked against its LAN's DHCP server or relay.
public struct DHCPCheck: Sendable, Codable, Equatable {
    public var host: String
    public var lan: String
    /// What the config promises, e.g. `pool 192.168.10.100-192.168.10.199, router 192.168.10.1`.
    public var expected: String
    /// What the DHCP exchange gave, e.g. `192.168.10.123/24 router 192.168.10.1 dns 192.168.10.1`.
    public var seen: String
    public var passed: Bool
    public var problem: String?
}

/// The verdict of `lab verify` for one site: every check, and the counts.
public struct VerifyReport: Sendable, Codable {
    public var site: String
    public var checks: [VerifyCheck]
    public var dhcp: [DHCPCheck]
    /// What the faults showed beyond pass/fail: how long failover and recovery took.
    public var notes: [String]

    public var passed: Int { checks.filter(\.passed).count + dhcp.filter(\.passed).count }
    public var failed: Int { checks.count + dhcp.count - passed }

    enum CodingKeys: String, CodingKey { case site, checks, dhcp, notes, passed, failed }

    public init(site: String, checks: [VerifyCheck], dhcp: [DHCPCheck], notes: [String] = []) {
        self.site = site
        self.checks = checks
        self.dhcp = dhcp
        self.notes = notes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        site = try container.decode(String.self, forKey: .site)
        checks = try container.decode([VerifyCheck].self, forKey: .checks)
        dhcp = try container.decode([DHCPCheck].self, forKey: .dhcp)
        notes = try container.decodeIfPresent([String].self, forKey: .notes) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(site, forKey: .site)
        try container.encode(checks, forKey: .checks)
        try container.encode(dhcp, forKey: .dhcp)
        try container.encode(notes, forKey: .notes)
        try container.encode(passed, forKey: .passed)
        try container.encode(failed, forKey: .failed)
    }

    /// The matrix for people: a row per source and destination, a column per probe (`allow`/`drop` when the packet
    /// did what the config says, `FAIL` when not), then each failure with the rule that predicted it, the DHCP
    /// checks, and `N passed, N failed`.
    public var text: String {
        let probes = Array(Set(checks.map(\.probe))).sorted { ($0.proto.rawValue, $0.port ?? 0) < ($1.proto.rawValue, $1.port ?? 0) }
        var rows: [(String, [String])] = []
        // A row per phase (none, then each fault in turn) and source -> destination.
        func row(_ check: VerifyCheck) -> String { (check.phase.map { "[\($0)] " } ?? "") + "\(check.from) -> \(check.to)" }
        var seenRows: [String] = []
        for check in checks where !seenRows.contains(row(check)) { seenRows.append(row(check)) }
        for label in seenRows {
            let cells = probes.map { probe -> String in
                guard let check = checks.first(where: { row($0) == label && $0.probe == probe }) else { return "-" }
                return check.passed ? check.expected.verdict.rawValue : "FAIL"
            }
            rows.append((label, cells))
        }
        let header = ["site \(TextRules.printable(site))"] + probes.map(\.description)
        let widths = header.indices.map { column in
            ([header[column]] + rows.map { column == 0 ? TextRules.printable($0.0) : $0.1[column - 1] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        var lines = [line(header)]
        for row in rows { lines.append(line([TextRules.printable(row.0)] + row.1)) }
        for note in notes { lines.append("note: \(note)") }
        for check in checks where !check.passed {
            lines.append("FAIL " + (check.phase.map { "[\(TextRules.printable($0))] " } ?? "") + "\(TextRules.printable(check.from)) -> \(TextRules.printable(check.to)) \(check.probe): \(check.problem ?? "")")
        }
        for check in dhcp {
            let status = check.passed ? "ok  " : "FAIL"
            lines.append("\(status) DHCP \(check.host) on \(TextRules.printable(check.lan)): \(check.seen)" + (check.problem.map { ": \($0)" } ?? ""))
        }
        lines.append("\(passed) passed, \(failed) failed")
        return lines.joined(separator: "\n") + "\n"
    }

    /// JUnit XML for CI systems: one test case per check.
    public var junit: String {
        func escape(_ text: String) -> String {
            TextRules.printable(text, limit: 400).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuite name=\"lab verify \(escape(site))\" tests=\"\(checks.count + dhcp.count)\" failures=\"\(failed)\">\n"
        for check in checks {
            xml += "  <testcase classname=\"\(check.phase.map { "[\(escape($0))] " } ?? "")\(escape(check.from)) -> \(escape(check.to))\" name=\"\(check.probe)\""
            if let problem = check.problem, !check.passed {
                xml += ">\n    <failure message=\"\(escape(problem))\"/>\n  </testcase>\n"
            } else {
                xml += "/>\n"
            }
        }
        for check in dhcp {
            xml += "  <testcase classname=\"DHCP \(escape(check.lan))\" name=\"\(escape(check.host))\""
            if let problem = check.problem, !check.passed {
                xml += ">\n    <failure message=\"\(escape(problem))\"/>\n  </testcase>\n"
            } else {
                xml += "/>\n"
            }
        }
        return xml + "</testsuite>\n"
    }
}
