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
        self.init(name: name, fabricPeer: SiteNames.fabricPeer(ofPort: name))
    }

    /// A port of the connector `names` are for (an HA node's peers have names of their own).
    public init(name: String, names: SiteNames) {
        self.init(name: name, fabricPeer: names.fabricPeer(ofPort: name))
    }

    private init(name: String, fabricPeer: String) {
        self.name = name
        self.fabricPeer = fabricPeer
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
    /// start-stop-daemon writes the pid file (`-m`): the program writes none of its own (charon-systemd).
    public var writesPidFile = false
    /// A second file the daemon reads, written with the config (charon's swanctl.conf, loaded after start).
    public var companionFile: String? = nil
    public var companion: String? = nil
    /// The tunnel link the daemon's TUN device becomes once it runs (a charon).
    public var tunnel: TunnelLink? = nil
    /// Files written with the config (path to content, 0600): the DHCP configs keepalived's notify script
    /// starts dnsmasq with on an HA node.
    public var files: [String: String] = [:]
    /// Pid files of the daemon's children, removed before it starts: a stale one stops keepalived from starting.
    public var childPidFiles: [String] = []
}

/// The connector's end of an IPsec tunnel: the TUN device its charon creates, renamed and addressed.
public struct TunnelLink: Sendable, Equatable, Hashable {
    /// e.g. `ipsec0`: the tunnel's index in the config (empty at the lab edge: whichever the kernel gave).
    public var name: String
    /// The customer side of the interface address, e.g. `10.200.1.1/31`.
    public var address: String
    /// The tunnel's charon, whose vici socket `swanctl` loads the connection through.
    package var instance: StrongSwan.Instance
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
    /// The IPsec tunnels' links (created by their charons, not by vconnector).
    public var tunnelLinks: [TunnelLink] = []
    /// Source-based rules: what leaves from a tunnel-carrying WAN's address uses that WAN's own table.
    public var rules: [RoutingRule] = []
    /// An HA node's LAN virtual addresses (CIDR per link): keepalived adds and removes them, so apply neither
    /// adds nor removes them, and removes them only before it (re)starts keepalived, which then owns none.
    public var virtualAddresses: [String: [String]] = [:]

    /// Bridges of the fabric namespace, one per port.
    public var bridges: [String] { ports.map(\.bridge) }
}
