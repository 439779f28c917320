import ConnectorAPI
import Foundation

/// What the site's part of a snapshot (`SiteSnapshotPart`) is read from: DHCP leases handed out by its dnsmasq
/// instances, the state of its emulated bonds.
public enum SiteTelemetry {
    /// Every lease in the site's dnsmasq lease files (`expiry mac ip hostname client-id` lines), by link.
    public static func dhcpLeases(_ names: SiteNames) -> [Snapshot.DHCPLease] {
        let directory = names.siteDirectory  // an HA pair's leases are shared, in the site's directory
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("dnsmasq-") && $0.hasSuffix(".leases") }.sorted()
        var leases: [Snapshot.DHCPLease] = []
        for file in files {
            let link = String(file.dropFirst("dnsmasq-".count).dropLast(".leases".count))
            guard let text = try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8) else { continue }
            leases += parseLeases(text, interface: link)
        }
        return leases
    }

    /// Parses dnsmasq's lease file; malformed lines are skipped (dnsmasq rewrites the file whole).
    public static func parseLeases(_ text: String, interface: String) -> [Snapshot.DHCPLease] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count >= 4, let expiry = Int64(fields[0]), MACAddress.isValid(fields[1]),
                IPv4Address(fields[2]) != nil
            else { return nil }
            return Snapshot.DHCPLease(
                clientId: fields.count > 4 && fields[4] != "*" ? fields[4] : fields[1], expiryTime: expiry,
                hostname: fields[3] == "*" ? "" : fields[3], interfaceName: interface, ipAddress: fields[2],
                macAddress: fields[1])
        }
    }

    /// The LANs' bonds, emulated as single links: status is the link's MII-like state, "up" or "down", as
    /// /proc/net/bonding reports a real bond's.
    public static func emulatedBonds(_ config: SiteConfig, names: SiteNames) -> [Snapshot.Bond] {
        let bondLinks = Set(config.lans.filter { $0.bondId != nil }.map(SiteNames.link(of:)))
        guard !bondLinks.isEmpty, let handle = try? NamespaceHandle(names.connector),
            let links = try? handle.socket.links()
        else { return [] }
        return links.filter { bondLinks.contains($0.name) }.sorted { $0.name < $1.name }
            .map { Snapshot.Bond(name: $0.name, status: $0.operState == "UP" ? "up" : "down") }
    }
}
