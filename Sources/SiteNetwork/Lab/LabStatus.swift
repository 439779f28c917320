import ConnectorAPI
import Foundation
import Netlink

/// A readable picture of a site and its lab: namespaces, their links and addresses, and DHCP leases.
public enum LabStatus {
    public static func lines(_ names: SiteNames) -> [String] {
        var lines: [String] = []
        let namespaces = Namespaces.all().filter { names.owns(namespace: $0) }
        if namespaces.isEmpty { return ["nothing of site \(names.key) on this host"] }
        for namespace in namespaces {
            lines.append("namespace \(namespace)")
            guard let handle = try? NamespaceHandle(namespace), let links = try? handle.socket.links(),
                  let addresses = try? handle.socket.addresses() else { continue }
            for link in links where link.name != "lo" {
                let cidrs = addresses.filter { $0.interfaceIndex == link.index && $0.family == AF_INET }.map(\.cidr)
                let master = link.masterIndex.flatMap { index in links.first { $0.index == index }?.name }
                lines.append("  \(link.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(link.operState.padding(toLength: 8, withPad: " ", startingAt: 0)) \(link.kind ?? "")\(master.map { " on \($0)" } ?? "") \(cidrs.joined(separator: " "))")
            }
        }
        let leases = SiteTelemetry.dhcpLeases(names)
        lines.append("connector DHCP leases: \(leases.count)")
        for lease in leases { lines.append("  \(lease.interfaceName) \(lease.ipAddress) \(lease.macAddress) \(TextRules.printable(lease.hostname))") }
        return lines
    }
}
