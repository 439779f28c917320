import ConnectorAPI

/// Every name vconnector gives the objects it creates for one site, and the marks that identify them.
///
/// A site is keyed by 8 hex digits of FNV-1a over its id (or its name when the config has no id), so the
/// names are stable across applies and short enough for IFNAMSIZ (15 characters).
public struct SiteNames: Sendable, Equatable {
    public let key: String
    /// Root of vconnector's runtime files, e.g. /run/vconnector.
    public let stateRoot: String

    public init(site: Site, stateRoot: String = SiteNames.defaultStateRoot) {
        self.init(key: Self.key(for: site.id ?? site.name ?? ""), stateRoot: stateRoot)
    }

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

    /// The connector's namespace: its ports, addresses, routes, nft table, dnsmasq and udhcpc.
    public var connector: String { "vc-\(key)" }
    /// The namespace holding one bridge per segment (physport, VLAN): the "wires" the ports plug into.
    public var fabric: String { "vf-\(key)" }
    /// A lab upstream router's namespace for the WAN on `port` (a port link name).
    public func upstream(_ port: String) -> String { "vu-\(key)-\(port)" }
    /// A lab host's namespace: host `index` (from 1) on the LAN on `port`.
    public func host(_ port: String, _ index: Int) -> String { "vh-\(key)-\(port)-\(index)" }
    /// Namespace name prefixes vconnector uses; anything else is never touched.
    public static let namespacePrefixes = ["vc-", "vf-", "vu-", "vh-"]
    /// True when `namespace` belongs to this site.
    public func owns(namespace: String) -> Bool {
        namespace == connector || namespace == fabric
            || namespace.hasPrefix("vu-\(key)-") || namespace.hasPrefix("vh-\(key)-")
    }

    /// The IFLA_IFALIAS every link of this site carries.
    public var mark: String { "vconnector site \(key)" }
    /// The alias of the lab's links: not the site's mark, so that apply never takes them for strays.
    public var labMark: String { "vconnector lab \(key)" }

    /// The runtime directory of this site (0700): daemon configs, pid files, lease files, last apply.
    public var stateDirectory: String { "\(stateRoot)/sites/\(key)" }

    /// The connector-side link of a physport/VLAN segment: `port3`, or `p3v100` for VLAN 100.
    public static func port(_ physport: Int, vlan: Int) -> String { vlan == 0 ? "port\(physport)" : "p\(physport)v\(vlan)" }
    /// The fabric-side peer of a port link.
    public static func fabricPeer(ofPort port: String) -> String { "c" + port.dropFirst(port.hasPrefix("port") ? 4 : 1) }
    /// The segment bridge a port plugs into.
    public static func bridge(ofPort port: String) -> String { "br" + port.dropFirst(port.hasPrefix("port") ? 4 : 1) }

    /// nft table of the connector namespace (family ip), the project's own.
    public static let nftTable = "vconnector"
}
