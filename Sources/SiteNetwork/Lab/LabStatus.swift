import ConnectorAPI
import Foundation
import Netlink

/// A picture of a site and its lab: namespaces, their links and addresses, and the connector's DHCP leases; as
/// lines for people or as JSON (`lab status --json`).
public struct LabStatus: Sendable, Encodable {
    public struct Namespace: Sendable, Encodable {
        public var name: String
        public var links: [LinkState]
    }

    public struct LinkState: Sendable, Encodable {
        public var name: String
        public var state: String
        public var kind: String?
        /// The bridge it is enslaved to.
        public var master: String?
        public var addresses: [String]
    }

    public var ok = true
    public var site: String
    public var namespaces: [Namespace]
    public var leases: [Snapshot.DHCPLease]
    /// An HA site's nodes and their VRRP state (`active`, `standby`, ...), by node; nil for a single connector.
    public var ha: [String: String]?

    /// Reads the site's namespaces and leases now.
    public init(_ names: SiteNames) {
        site = names.key
        namespaces = Namespaces.all().filter { names.owns(namespace: $0) }.map { namespace in
            guard let handle = try? NamespaceHandle(namespace), let links = try? handle.socket.links(),
                  let addresses = try? handle.socket.addresses() else { return Namespace(name: namespace, links: []) }
            return Namespace(name: namespace, links: links.filter { $0.name != "lo" }.map { link in
                LinkState(
                    name: link.name, state: link.operState, kind: link.kind,
                    master: link.masterIndex.flatMap { index in links.first { $0.index == index }?.name },
                    addresses: addresses.filter { $0.interfaceIndex == link.index && $0.family == AF_INET }.map(\.cidr))
            })
        }
        leases = SiteTelemetry.dhcpLeases(names)
        ha = HAState.pair(names)
    }

    public var lines: [String] {
        if namespaces.isEmpty { return ["nothing of site \(site) on this host"] }
        var lines: [String] = []
        for namespace in namespaces {
            lines.append("namespace \(namespace.name)")
            for link in namespace.links {
                lines.append("  \(link.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(link.state.padding(toLength: 8, withPad: " ", startingAt: 0)) \(link.kind ?? "")\(link.master.map { " on \($0)" } ?? "") \(link.addresses.joined(separator: " "))")
            }
        }
        if let ha { lines.append(HAState.line(ha, SiteNames(key: site))) }
                lines.append("connector DHCP leases: \(leases.count)")
        for lease in leases { lines.append("  \(lease.interfaceName) \(lease.ipAddress) \(lease.macAddress) \(TextRules.printable(lease.hostname))") }
        return lines
    }

    /// The lines of `names`' lab now.
    public static func lines(_ names: SiteNames) -> [String] { LabStatus(names).lines }
}
