import Netlink

/// What is really there for one site, read from the kernel (netlink, nft JSON, /proc) and the state directory.
public struct ObservedState: Sendable, Equatable {
    /// This site's namespaces that exist.
    public var namespaces: Set<String> = []
    /// Links of the fabric namespace carrying the site's mark, by name.
    public var fabricLinks: [String: Link] = [:]
    /// Links of the connector namespace carrying the site's mark, by name.
    public var connectorLinks: [String: Link] = [:]
    /// IPv4 addresses (CIDR, sorted) of the marked connector links.
    public var addresses: [String: [String]] = [:]
    /// Routes of the connector namespace that carry vconnector's protocol mark.
    public var routes: [Route] = []
    /// Policy-routing rules that carry vconnector's protocol mark.
    public var rules: [RoutingRule] = []
    public var forwarding: Bool = false
    /// The fingerprint of the loaded ruleset, nil when the table is absent.
    public var rulesetFingerprint: String?
    /// The table's content differs from what vconnector loaded (a rule flushed, added or edited by hand).
    public var rulesetEdited: Bool = false
    /// Daemons found through pid files in the state directory.
    public var daemons: [String: DaemonStatus] = [:]
}

/// A daemon's pid file and whether that pid is alive and really the daemon (its command line names it).
public struct DaemonStatus: Sendable, Equatable {
    public var pid: Int32?
    public var running: Bool
    /// The config file's content on disk, to compare with the desired one.
    public var config: String?
}
