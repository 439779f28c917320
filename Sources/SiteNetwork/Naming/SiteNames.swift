import ConnectorAPI

/// Every name vconnector gives the objects it creates for one site, and the marks that identify them.
///
/// A site is keyed by 8 hex digits of FNV-1a over its id (or its name when the config has no id), so the
/// names are stable across applies and short. Two sites can share a key (FNV is no cryptographic hash:
/// `branch-718885` and `branch-1288020` do), so the site a key belongs to is recorded in its state directory
/// (`site-id`) and an apply of another site with the same key is refused (`SiteKeyCollision`).
public struct SiteNames: Sendable, Equatable {
    public let key: String
    /// Root of vconnector's runtime files, e.g. /run/vconnector.
    public let stateRoot: String
    /// The node of an HA site these names are for; nil for a single-connector site (or the site as a whole).
    public var node: HANode? = nil

    public init(site: Site, stateRoot: String = SiteNames.defaultStateRoot) {
        self.init(key: Self.key(for: Self.identity(of: site)), stateRoot: stateRoot)
    }

    /// A site's names from a key given by a person or found on disk (`--key`, a state directory's name, a
    /// namespace's suffix): only 8 lower-case hex digits are a key, so nothing else ever becomes a path.
    public init(validatingKey key: String, stateRoot: String = SiteNames.defaultStateRoot) throws(SiteKeyError) {
        guard Self.isValidKey(key) else { throw SiteKeyError(key: key) }
        self.init(key: key, stateRoot: stateRoot)
    }

    /// The names a connector namespace belongs to: `vc-<key>`, or an HA secondary's `vc-<key>-s`; nil for any
    /// other name (the primary of an HA site is told apart by its applied config, see `SiteSnapshotPart`).
    public init?(connectorNamespace namespace: String, stateRoot: String = SiteNames.defaultStateRoot) {
        guard namespace.hasPrefix("vc-") else { return nil }
        var key = String(namespace.dropFirst(3))
        let secondary = key.hasSuffix("-s")
        if secondary { key.removeLast(2) }
        guard Self.isValidKey(key) else { return nil }
        self.init(key: key, stateRoot: stateRoot)
        if secondary { node = .secondary }
    }

    /// True for 8 lower-case hex digits, the only shape `key(for:)` produces.
    public static func isValidKey(_ key: String) -> Bool {
        key.utf8.count == 8 && key.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// What a site's key is derived from: its id, or its name when the config has no id.
    public static func identity(of site: Site) -> String { site.id ?? site.name ?? "" }

    public init(key: String, stateRoot: String = SiteNames.defaultStateRoot) {
        self.key = key
        self.stateRoot = stateRoot
    }

    public static let defaultStateRoot = "/run/vconnector"

    /// The 8-hex-digit key of a site id or name.
    public static func key(for identifier: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in identifier.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The same site's names for one node of its HA pair.
    public func node(_ node: HANode?) -> SiteNames {
        var names = self
        names.node = node
        return names
    }

    /// The connector's namespace: its ports, addresses, routes, nft table, dnsmasq and udhcpc. An HA site's
    /// primary keeps the single connector's name, so a site switching to HA keeps its namespace, and
    /// `vc-<key>-s` is no key: nothing that parses keys from namespace names takes the secondary for a site.
    public var connector: String { node == .secondary ? "vc-\(key)-s" : "vc-\(key)" }
    /// Both connector namespaces of the site, whichever node these names are for.
    public var connectors: [String] { ["vc-\(key)", "vc-\(key)-s"] }
    /// The namespace holding one bridge per segment (physport, VLAN): the "wires" the ports plug into.
    public var fabric: String { "vf-\(key)" }
    /// A lab upstream router's namespace for the WAN on `port` (a port link name).
    public func upstream(_ port: String) -> String { "vu-\(key)-\(port)" }
    /// A lab host's namespace: host `index` (from 1) on the LAN on `port`.
    public func host(_ port: String, _ index: Int) -> String { "vh-\(key)-\(port)-\(index)" }
    /// Namespace name prefixes vconnector uses; anything else is never touched.
    public static let namespacePrefixes = ["vc-", "vf-", "vu-", "vh-", "ve-"]
    /// True when `namespace` belongs to this site.
    public func owns(namespace: String) -> Bool {
        connectors.contains(namespace) || namespace == fabric
            || namespace.hasPrefix("vu-\(key)-") || namespace.hasPrefix("vh-\(key)-")
    }

    /// The IFLA_IFALIAS every link of this site carries.
    public var mark: String { "vconnector site \(key)" }
    /// The alias of the lab's links: not the site's mark, so that apply never takes them for strays.
    public var labMark: String { "vconnector lab \(key)" }

    /// The runtime directory of this site (0700): the owner file, the lab, an HA site's shared DHCP leases, and the
    /// state of its single (or primary) connector.
    public var siteDirectory: String { "\(stateRoot)/sites/\(key)" }
    /// The runtime directory of this connector (0700): daemon configs, pid files, lease files, last apply. An HA
    /// secondary's is inside the site's, so the site's teardown removes both.
    public var stateDirectory: String { node == .secondary ? "\(siteDirectory)/secondary" : siteDirectory }
    /// The lab's directory in the site's (`lab up` makes it first): its daemons' files, and the sign that every
    /// host on the site's LANs is one the lab made.
    public var labDirectory: String { "\(siteDirectory)/lab" }
    /// The file in the site directory naming the site (its id or name) the key belongs to.
    public var ownerFile: String { "\(siteDirectory)/site-id" }
    /// The lock one apply or teardown of this site holds (outside the state directory, which teardown removes).
    public var lockFile: String { "\(stateRoot)/locks/\(key).lock" }

    /// The connector-side link of a segment: `port3`, `p3v100` for VLAN 100 on port 3, or `bond2` / `b2v100`
    /// for a LAN on bond 2 (a bond is emulated as one segment; see docs/site-network.md).
    public static func port(_ physport: Int, vlan: Int) -> String { vlan == 0 ? "port\(physport)" : "p\(physport)v\(vlan)" }

    /// The link of a LAN: its bond when it has one, else its physport; with its VLAN.
    public static func link(of lan: LAN) -> String {
        if let bond = lan.bondId { return (lan.vlanTag ?? 0) == 0 ? "bond\(bond)" : "b\(bond)v\(lan.vlanTag!)" }
        return port(lan.physport ?? 0, vlan: lan.vlanTag ?? 0)
    }

    /// The link of a WAN (WANs have no bond in the API).
    public static func link(of wan: WAN) -> String { port(wan.physport ?? 0, vlan: wan.vlanTag ?? 0) }

    /// What distinguishes a segment in the names derived from its port link: `3`, `3v100`, `bond2`, `b2v100`.
    public static func segment(ofPort port: String) -> String {
        if port.hasPrefix("port") { return String(port.dropFirst(4)) }
        if port.hasPrefix("p") { return String(port.dropFirst(1)) }
        return port
    }
    /// The fabric-side peer of a port link: `c3`, `c3v100`, `cbond2`.
    public static func fabricPeer(ofPort port: String) -> String { "c" + segment(ofPort: port) }
    /// The fabric-side peer of this node's port: an HA secondary's are `s3`, `s3v100`, so both nodes plug into
    /// the same segment bridges.
    public func fabricPeer(ofPort port: String) -> String {
        node == .secondary ? "s" + Self.segment(ofPort: port) : Self.fabricPeer(ofPort: port)
    }
    /// True for a fabric link of the other node of the pair: it carries the site's mark too, but is not this
    /// node's to observe or remove.
    func isOtherNodesFabricLink(_ name: String) -> Bool {
        switch node {
        case nil: false
        case .primary: name.hasPrefix("s")
        case .secondary: name.hasPrefix("c")
        }
    }
    /// The segment bridge a port plugs into: `br3`, `br3v100`, `brbond2`.
    public static func bridge(ofPort port: String) -> String { "br" + segment(ofPort: port) }

    /// The connector-side link of the site's IPsec tunnel number `index`: its charon's TUN device, which the
    /// kernel names `ipsecN` (lowest free number) and charon keeps using by that name, so it cannot be renamed;
    /// charons start in index order, so tunnel `index` gets `ipsec<index>` (checked when it starts).
    public static func tunnelLink(_ index: Int) -> String { "ipsec\(index)" }

    /// nft table of the connector namespace (family ip), the project's own.
    public static let nftTable = "vconnector"
}

/// A string that is not a site key (8 lower-case hex digits), refused before it can become a path or a name.
public struct SiteKeyError: Error, CustomStringConvertible, Sendable, Equatable {
    public var key: String

    public var description: String {
        "'\(TextRules.printable(key, limit: 40))' is not a site key (8 lower-case hex digits, the <key> of vc-<key>; `vconnector site status` lists them)"
    }
}

/// Two different sites whose ids (or names) hash to the same key: the second is refused rather than silently
/// taking over, and dismantling, the first one's namespaces.
public struct SiteKeyCollision: Error, CustomStringConvertible, Sendable, Equatable {
    public var key: String
    public var applied: String
    public var requested: String

    public var description: String {
        "site key \(key) already belongs to site '\(TextRules.printable(applied, limit: 80))' on this host; "
            + "site '\(TextRules.printable(requested, limit: 80))' hashes to the same key. Tear the other site down first "
            + "(`vconnector site teardown --key \(key)`), or give this site an id or name of its own"
    }
}
