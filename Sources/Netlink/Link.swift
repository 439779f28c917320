/// A network link as rtnetlink reports it.
public struct Link: Sendable, Equatable {
    public var index: Int32
    public var name: String
    /// RFC 2863 operational state, upper case as `ip link` prints it: UP, DOWN, UNKNOWN, LOWERLAYERDOWN...
    public var operState: String
    /// IFF_* flags (IFF_UP is 0x1).
    public var flags: UInt32
    public var mtu: UInt32
    /// The link kind from IFLA_INFO_KIND ("veth", "bridge", "bond"...), nil for plain devices.
    public var kind: String?
    /// Index of the master device (bridge or bond), nil when enslaved to nothing.
    public var masterIndex: Int32?
    /// IFLA_IFALIAS, where vconnector writes its mark on the links it creates.
    public var alias: String?
    /// The hardware address, e.g. "02:00:00:00:10:0a"; nil for devices without one.
    public var macAddress: String?

    public init(
        index: Int32, name: String, operState: String, flags: UInt32, mtu: UInt32, kind: String? = nil,
        masterIndex: Int32? = nil, alias: String? = nil, macAddress: String? = nil
    ) {
        self.index = index
        self.name = name
        self.operState = operState
        self.flags = flags
        self.mtu = mtu
        self.kind = kind
        self.masterIndex = masterIndex
        self.alias = alias
        self.macAddress = macAddress
    }

    public var isUp: Bool { flags & 0x1 != 0 }

    /// RFC 2863 operational state names by IF_OPER_* value.
    static func operStateName(_ value: UInt8) -> String {
        switch value {
        case 0: "UNKNOWN"
        case 1: "NOTPRESENT"
        case 2: "DOWN"
        case 3: "LOWERLAYERDOWN"
        case 4: "TESTING"
        case 5: "DORMANT"
        case 6: "UP"
        default: "UNKNOWN"
        }
    }
}

/// An interface address as rtnetlink reports it.
public struct Address: Sendable, Equatable {
    public var interfaceIndex: Int32
    /// AF_INET (2) or AF_INET6 (10).
    public var family: Int32
    /// The address without prefix length, e.g. "192.0.2.1" or "fe80::1".
    public var address: String
    public var prefixLength: Int

    /// The address in CIDR notation, e.g. "192.0.2.1/24".
    public var cidr: String { "\(address)/\(prefixLength)" }
}
