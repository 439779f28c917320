import ConnectorAPI

/// dnsmasq for one LAN: its DHCP server (pool, router, DNS, reservations) or its DHCP relay.
///
/// One instance per LAN, bound to the LAN's link only (`bind-interfaces`, DNS off with `port=0`), with its
/// own lease file, so LANs never share state and a pool change restarts only that LAN's dnsmasq. The file is
/// rendered from typed values (parsed addresses, normalised MACs, our own paths) through `DnsmasqConfig`,
/// which refuses any value that could end a line or start a directive: nothing of the API's text but the
/// LAN's name reaches the file, and that only inside the comment.
enum Dnsmasq {
    /// `pingBeforeOffer` false drops dnsmasq's conflict check (an echo request to an address before offering it,
    /// which holds the first offer of each address for 3 s); the lab turns it off, see `SiteNames.labDirectory`.
    static func daemon(lan: LAN, link: String, names: SiteNames, pingBeforeOffer: Bool = true) throws(UnsafeConfigValue) -> DaemonSpec {
        let name = "dnsmasq-\(link)"
        let base = "\(names.stateDirectory)/\(name)"
        let configFile = "\(base).conf"
        return DaemonSpec(
            name: name, link: link, command: ["dnsmasq", "--conf-file=\(configFile)"], configFile: configFile,
            config: try config(lan: lan, link: link, base: base, pingBeforeOffer: pingBeforeOffer), pidFile: "\(base).pid")
    }

    /// The lease file of the dnsmasq serving `link`: in the site's directory, where both nodes of an HA pair
    /// find it (the node that takes over starts with the leases its peer handed out).
    static func leaseFile(link: String, names: SiteNames) -> String { "\(names.siteDirectory)/dnsmasq-\(link).leases" }

    /// The config of a validated LAN (static addressing with a DHCP server or relay); `leaseFile` when not next
    /// to the config.
    static func config(lan: LAN, link: String, base: String, leaseFile: String? = nil, pingBeforeOffer: Bool = true) throws(UnsafeConfigValue) -> String {
        var file = instance(
            comment: "vconnector: LAN \(lan.name ?? lan.id ?? link) on \(link); written by `vconnector site apply`, do not edit",
            interface: link, base: base, leaseFile: leaseFile)
        guard let addressing = lan.staticAddressing, let subnet = addressing.address?.value else {
            return try file.render()
        }
        if let server = addressing.dhcpServer {
            let router = addressing.virtualAddress?.value?.address ?? subnet.address
            if let start = server.dhcpPoolStart?.value, let end = server.dhcpPoolEnd?.value {
                file.serve(range: (start, end), mask: IPv4Address(value: subnet.mask), router: router)
            } else {
                // No pool: answer only the reserved hosts (dnsmasq's static mode), rather than nothing at all.
                file.serve(staticNetwork: subnet.network, mask: IPv4Address(value: subnet.mask), router: router)
            }
            if !pingBeforeOffer { file.add("no-ping") }
            let dns = (server.dnsServers ?? server.dnsServer.map { [$0] } ?? []).compactMap(\.value)
            if !dns.isEmpty { file.add("dhcp-option", ["option:dns-server"] + dns.map(\.description)) }
            for (mac, ip) in (server.reservations ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let mac = MACAddress.normalized(mac), let ip = ip.value else { continue }
                file.add("dhcp-host", [mac, ip.description])
            }
        } else if let relay = addressing.dhcpRelay {
            for server in (relay.serverAddresses ?? []).compactMap(\.value) {
                file.add("dhcp-relay", [subnet.address.description, server.description])
            }
        }
        return try file.render()
    }

    /// What every dnsmasq of ours (the site's and the lab's) starts with: one interface, no DNS, its own pid,
    /// log and lease files next to its config (`base`.conf).
    static func instance(comment: String, interface: String, base: String, leaseFile: String? = nil) -> DnsmasqConfig {
        var file = DnsmasqConfig(comment: comment)
        file.add("interface", [interface])
        file.add("bind-interfaces")
        file.add("except-interface", ["lo"])
        file.add("port", ["0"])
        file.add("user", ["root"])
        file.add("pid-file", ["\(base).pid"])
        file.add("log-facility", ["\(base).log"])
        file.add("dhcp-leasefile", [leaseFile ?? "\(base).leases"])
        return file
    }
}

/// A dnsmasq config file as data: one comment line, then `option=value,value` lines. `render` writes it and
/// refuses any value outside `ConfigText`'s safe characters, so no value can add a line or a directive.
struct DnsmasqConfig {
    let comment: String
    private(set) var directives: [(option: String, values: [String])] = []

    init(comment: String) { self.comment = comment }

    mutating func add(_ option: String, _ values: [String] = []) { directives.append((option, values)) }

    /// A DHCP server's pool (1 h leases) and the router it hands out.
    mutating func serve(range: (start: IPv4Address, end: IPv4Address), mask: IPv4Address, router: IPv4Address) {
        add("dhcp-authoritative")
        add("dhcp-range", [range.start.description, range.end.description, mask.description, "1h"])
        add("dhcp-option", ["option:router", router.description])
    }

    /// A DHCP server without a pool: only hosts with a `dhcp-host` reservation get an address.
    mutating func serve(staticNetwork network: IPv4Address, mask: IPv4Address, router: IPv4Address) {
        add("dhcp-authoritative")
        add("dhcp-range", [network.description, "static", mask.description, "1h"])
        add("dhcp-option", ["option:router", router.description])
    }

    func render() throws(UnsafeConfigValue) -> String {
        var lines = ["# " + ConfigText.comment(comment)]
        for directive in directives {
            let option = try ConfigText.value(directive.option, in: "a dnsmasq config")
            var checked: [String] = []
            for value in directive.values { checked.append(try ConfigText.value(value, in: "a dnsmasq config")) }
            lines.append(checked.isEmpty ? option : "\(option)=\(checked.joined(separator: ","))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
