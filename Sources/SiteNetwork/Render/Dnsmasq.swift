import ConnectorAPI

/// dnsmasq for one LAN: its DHCP server (pool, router, DNS, reservations) or its DHCP relay.
///
/// One instance per LAN, bound to the LAN's link only (`bind-interfaces`, DNS off with `port=0`), with its
/// own lease file, so LANs never share state and a pool change restarts only that LAN's dnsmasq.
enum Dnsmasq {
    static func daemon(lan: LAN, link: String, names: SiteNames) -> DaemonSpec {
        let name = "dnsmasq-\(link)"
        let base = "\(names.stateDirectory)/\(name)"
        let configFile = "\(base).conf"
        return DaemonSpec(
            name: name, link: link, command: ["dnsmasq", "--conf-file=\(configFile)"], configFile: configFile,
            config: config(lan: lan, link: link, base: base), pidFile: "\(base).pid")
    }

    /// The lease file of the dnsmasq serving `link`.
    static func leaseFile(link: String, names: SiteNames) -> String { "\(names.stateDirectory)/dnsmasq-\(link).leases" }

    static func config(lan: LAN, link: String, base: String) -> String {
        let addressing = lan.staticAddressing!
        let subnet = IPv4CIDR(addressing.address!)!
        var lines = instanceLines(
            comment: "vconnector: LAN \(lan.name ?? lan.id ?? link) on \(link); written by `vconnector site apply`, do not edit",
            interface: link, base: base)
        if let server = addressing.dhcpServer, let start = server.dhcpPoolStart, let end = server.dhcpPoolEnd {
            lines += serverLines(
                range: (start, end), mask: "\(IPv4Address(value: subnet.mask))",
                router: "\(addressing.virtualAddress.flatMap(IPv4CIDR.init)?.address ?? subnet.address)")
            let dns = server.dnsServers ?? server.dnsServer.map { [$0] } ?? []
            if !dns.isEmpty { lines.append("dhcp-option=option:dns-server,\(dns.joined(separator: ","))") }
            for (mac, ip) in (server.reservations ?? [:]).sorted(by: { $0.key < $1.key }) {
                lines.append("dhcp-host=\(MACAddress.normalized(mac) ?? mac),\(ip)")
            }
        } else if let relay = addressing.dhcpRelay {
            for server in relay.serverAddresses ?? [] {
                lines.append("dhcp-relay=\(subnet.address),\(server)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What every dnsmasq of ours (the site's and the lab's) starts with: one interface, no DNS, its own pid,
    /// log and lease files next to its config (`base`.conf).
    static func instanceLines(comment: String, interface: String, base: String) -> [String] {
        [
            "# \(comment)",
            "interface=\(interface)",
            "bind-interfaces",
            "except-interface=lo",
            "port=0",
            "user=root",
            "pid-file=\(base).pid",
            "log-facility=\(base).log",
            "dhcp-leasefile=\(base).leases",
        ]
    }

    /// A DHCP server's pool (1 h leases) and the router it hands out.
    static func serverLines(range: (start: String, end: String), mask: String, router: String) -> [String] {
        ["dhcp-authoritative", "dhcp-range=\(range.start),\(range.end),\(mask),1h", "dhcp-option=option:router,\(router)"]
    }
}
