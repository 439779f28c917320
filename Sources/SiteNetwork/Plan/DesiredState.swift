import Netlink

/// One segment port: the connector-side link of a veth pair whose peer sits on the segment's bridge in the
/// fabric namespace. Its names are its immutable attributes: a change means delete and create.
public struct PortSpec: Sendable, Equatable, Hashable {
    /// Link in the connector namespace, e.g. `port3` or `p3v100`.
    public var name: String
    /// Its veth peer in the fabric namespace, e.g. `c3`.
    public var fabricPeer: String
    /// The segment bridge in the fabric namespace, e.g. `br3`.
    public var bridge: String

    public init(name: String) {
        self.name = name
        fabricPeer = SiteNames.fabricPeer(ofPort: name)
        bridge = SiteNames.bridge(ofPort: name)
    }
}

/// A supervised daemon: dnsmasq for a LAN, busybox udhcpc for a DHCP WAN or LAN.
public struct DaemonSpec: Sendable, Equatable, Hashable {
    /// Unique within the site, e.g. `dnsmasq-port3`, `udhcpc-port2`; names its files in the state directory.
    public var name: String
    /// The link it serves; recreating that link restarts the daemon.
    public var link: String
    /// The program and its arguments, run inside the connector namespace.
    public var command: [String]
    /// The config file the daemon reads (its content is part of the desired state: a change restarts it).
    public var configFile: String?
    public var config: String?
    /// Where the daemon writes its pid.
    public var pidFile: String
    /// The program stays in the foreground (udhcpc `-f`): it is started detached (busybox start-stop-daemon
    /// `-b`), so starting it never waits for its first lease. dnsmasq daemonizes itself.
    public var detached = false
}

/// Everything a site's config asks for, in the shape the kernel and the daemons are observed in.
public struct DesiredState: Sendable, Equatable {
    public var names: SiteNames
    public var ports: [PortSpec]
    /// IPv4 addresses (CIDR) per connector link; a DHCP link has its lease's address, or none yet.
    public var addresses: [String: [String]]
    /// Routes of the connector namespace's main table, all marked with vconnector's protocol.
    public var routes: [Route]
    /// The nft ruleset (one `nft -f` transaction replacing the table) and its fingerprint.
    public var ruleset: String
    public var rulesetFingerprint: String
    public var daemons: [DaemonSpec]
    /// Links whose address comes from DHCP (their default route, for a WAN, is in `routes` once leased).
    public var dhcpLinks: Set<String>
    /// What the capability probe decided, for the report (e.g. "VLAN: emulated").
    public var notes: [String]

    /// Bridges of the fabric namespace, one per port.
    public var bridges: [String] { ports.map(\.bridge) }
}
