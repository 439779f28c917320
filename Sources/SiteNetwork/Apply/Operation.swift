import Netlink

/// One change to the host that converges observed state toward desired state.
public enum Operation: Sendable, Equatable, CustomStringConvertible {
    case createNamespace(String)
    case deleteNamespace(String)
    case createBridge(String)
    case createPort(PortSpec)
    /// Deletes a marked link in the connector namespace (its veth peer goes with it).
    case deletePort(String)
    /// Deletes a marked link of the fabric namespace (a stray peer or a bridge no port uses).
    case deleteFabricLink(String)
    case setUp(namespace: String, link: String, master: String?)
    case addAddress(link: String, cidr: String)
    case deleteAddress(link: String, cidr: String)
    case addRoute(Route)
    case deleteRoute(Route)
    case addRule(RoutingRule)
    case deleteRule(RoutingRule)
    case enableForwarding
    /// Loads the site's nft table; `edited`: its fingerprint is right but its rules were changed outside vconnector.
    case loadRuleset(fingerprint: String, edited: Bool = false)
    case startDaemon(DaemonSpec)
    /// The daemon's config changed: write it and restart the daemon.
    case restartDaemon(DaemonSpec)
    case stopDaemon(name: String)

    public var description: String {
        switch self {
        case .createNamespace(let name): "create namespace \(name)"
        case .deleteNamespace(let name): "delete namespace \(name)"
        case .createBridge(let name): "create bridge \(name) (fabric)"
        case .createPort(let port): "create link \(port.name) (veth, peer \(port.fabricPeer) on bridge \(port.bridge))"
        case .deletePort(let name): "delete link \(name)"
        case .deleteFabricLink(let name): "delete link \(name) (fabric)"
        case .setUp(let namespace, let link, let master): "set \(link) up\(master.map { " on bridge \($0)" } ?? "") (\(namespace))"
        case .addAddress(let link, let cidr): "add address \(cidr) to \(link)"
        case .deleteAddress(let link, let cidr): "delete address \(cidr) from \(link)"
        case .addRoute(let route): "add route \(Self.describe(route))"
        case .deleteRoute(let route): "delete route \(Self.describe(route))"
        case .addRule(let rule): "add rule pref \(rule.priority) from \(rule.source) lookup \(rule.table)"
        case .deleteRule(let rule): "delete rule pref \(rule.priority) from \(rule.source) lookup \(rule.table)"
        case .enableForwarding: "enable IPv4 forwarding"
        case .loadRuleset(let fingerprint, let edited):
            "load nft table ip \(SiteNames.nftTable) (fingerprint \(fingerprint))" + (edited ? ": its rules were changed outside vconnector" : "")
        case .startDaemon(let daemon): "start \(daemon.name)"
        case .restartDaemon(let daemon): "restart \(daemon.name) (config changed)"
        case .stopDaemon(let name): "stop \(name)"
        }
    }

    var isDaemonOperation: Bool {
        switch self {
        case .startDaemon, .restartDaemon, .stopDaemon: true
        default: false
        }
    }

    static func describe(_ route: Route) -> String {
        let hops = route.nextHops.map { hop in (hop.gateway.map { "via \($0) " } ?? "") + "dev \(hop.interface)" }
        return "\(route.destination) \(hops.joined(separator: " nexthop ")) metric \(route.metric)"
            + (route.table == Route.mainTable ? "" : " table \(route.table)")
    }
}
