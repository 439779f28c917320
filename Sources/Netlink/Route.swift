/// An IPv4 route as rtnetlink reports it: of the main table, or of a table of vconnector's (a WAN's own table
/// for traffic from its address, see `RoutingRule`).
public struct Route: Sendable, Equatable {
    /// Destination in CIDR notation; "0.0.0.0/0" for a default route.
    public var destination: String
    /// The route's metric (RTA_PRIORITY).
    public var metric: UInt32
    /// RTPROT_* of who installed it; vconnector marks its routes with `Route.vconnectorProtocol`.
    public var protocolID: UInt8
    /// One hop, or several for an ECMP (multipath) route, sorted by gateway.
    public var nextHops: [NextHop]
    /// The routing table (254: main).
    public var table: UInt32

    public init(destination: String, metric: UInt32, protocolID: UInt8 = Route.vconnectorProtocol, nextHops: [NextHop], table: UInt32 = Route.mainTable) {
        self.destination = destination
        self.metric = metric
        self.protocolID = protocolID
        self.table = table
        self.nextHops = nextHops.sorted { ($0.gateway ?? "", $0.interface) < ($1.gateway ?? "", $1.interface) }
    }

    /// The routing protocol number vconnector's routes carry, its mark (`ip route` shows `proto 196`).
    public static let vconnectorProtocol: UInt8 = 196
    public static let mainTable: UInt32 = 254
}

/// A next hop: a gateway (nil for a directly connected route) out of an interface.
public struct NextHop: Sendable, Equatable, Hashable {
    public var gateway: String?
    public var interface: String

    public init(gateway: String?, interface: String) {
        self.gateway = gateway
        self.interface = interface
    }
}
