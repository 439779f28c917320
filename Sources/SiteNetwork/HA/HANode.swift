import ConnectorAPI
import Foundation

/// One connector of an HA site's pair: the primary is the site's `connector_id`, the secondary its
/// `secondary_connector_id`. Each runs in its own namespace (see `SiteNames.connector`).
public enum HANode: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
    case primary, secondary

    /// The other node of the pair.
    public var peer: HANode { self == .primary ? .secondary : .primary }

    /// VRRP priority: the primary wins an election both nodes enter at once; once elected, a node keeps the
    /// role (`nopreempt`), so a recovered primary comes back as standby.
    var priority: Int { self == .primary ? 200 : 100 }

    /// The node a connector id is in `site`, nil when it is neither.
    public static func of(connector id: String, in site: Site) -> HANode? {
        guard site.haMode == true else { return nil }
        if site.connectorId == id { return .primary }
        if site.secondaryConnectorId == id { return .secondary }
        return nil
    }

    /// The nodes of `config`'s site an apply without a node selector makes: both for an HA site, else none (the
    /// single connector).
    public static func all(of config: SiteConfig) -> [HANode?] { config.site.haMode == true ? [.primary, .secondary] : [nil] }
}

/// A node's VRRP state as its keepalived notify script records it, in the snapshot's terms
/// (`ha_value`: 0 disabled, 1 active, 2 standby, 3 stopped, 4 fault).
public enum HAState: String, Sendable, Equatable, Codable {
    case disabled, active, standby, stopped, fault

    public var value: Int {
        switch self {
        case .disabled: 0
        case .active: 1
        case .standby: 2
        case .stopped: 3
        case .fault: 4
        }
    }

    /// keepalived's word for a state (`MASTER`, `BACKUP`, `FAULT`, `STOP`).
    init?(keepalived word: String) {
        switch word.trimmingCharacters(in: .whitespacesAndNewlines) {
        case "MASTER": self = .active
        case "BACKUP": self = .standby
        case "FAULT": self = .fault
        case "STOP": self = .stopped
        default: return nil
        }
    }

    /// The node's state now: what its notify script last wrote while its keepalived runs; `stopped` when
    /// keepalived does not run (a killed keepalived leaves its last word behind); nil for a single connector.
    public static func current(_ names: SiteNames) -> HAState? {
        guard names.node != nil else { return nil }
        guard Observer.status(pidFile: Keepalived.pidFile(names), configFile: nil).running else { return .stopped }
        let word = (try? String(contentsOfFile: Keepalived.stateFile(names), encoding: .utf8)) ?? ""
        return HAState(keepalived: word) ?? .standby
    }
}

extension HAState {
    /// Each node's state by node (`primary`, `secondary`); nil when `names`' site has no HA pair on this host.
    public static func pair(_ names: SiteNames) -> [String: String]? {
        guard FileManager.default.fileExists(atPath: names.node(.secondary).stateDirectory) else { return nil }
        return Dictionary(uniqueKeysWithValues: HANode.allCases.map { ($0.rawValue, (current(names.node($0)) ?? .stopped).rawValue) })
    }

    /// `HA: primary (vc-<key>) active, secondary (vc-<key>-s) standby`, for `lab status` and `site status`.
    public static func line(_ pair: [String: String], _ names: SiteNames) -> String {
        "HA: " + HANode.allCases.map { "\($0.rawValue) (\(names.node($0).connector)) \(pair[$0.rawValue] ?? "stopped")" }.joined(separator: ", ")
    }
}

