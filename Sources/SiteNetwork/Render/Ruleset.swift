import ConnectorAPI

/// The connector's nft table: NAT out of the WANs and the LAN-to-LAN policy of the site's ACLs.
///
/// Rendered as one `nft -f` transaction that creates, flushes by deleting, and recreates the project's own
/// table, so a load is atomic and never touches other tables. Its fingerprint is stored as the comment of
/// a rule in the `fingerprint` chain and read back from nft's JSON to observe what is loaded.
public enum Ruleset {
    public static func render(_ config: SiteConfig, names: SiteNames) -> (text: String, fingerprint: String) {
        let table = SiteNames.nftTable
        let wanLinks = config.wans.map(SiteNames.link(of:))
        let lans = config.lans.map { lan in
            (lan: lan, link: SiteNames.link(of: lan),
             subnet: lan.staticAddressing?.address?.value?.networkCIDR)
        }

        var postrouting: [String] = []
        var prerouting: [String] = []
        if !wanLinks.isEmpty {
            let wans = set(wanLinks.map { "\"\($0)\"" })
            var translations: [(inside: String, outside: String)] = []
            for entry in lans {
                if let subnet = entry.subnet, let nat = entry.lan.nat?.staticPrefix?.value {
                    translations.append((subnet, nat.networkCIDR))
                }
                for routed in entry.lan.routedSubnets ?? [] {
                    if let prefix = routed.prefix?.value, let nat = routed.nat?.staticPrefix?.value {
                        translations.append((prefix.networkCIDR, nat.networkCIDR))
                    }
                }
            }
            for translation in translations {
                postrouting.append("ip saddr \(translation.inside) oifname \(wans) snat ip prefix to ip saddr map { \(translation.inside) : \(translation.outside) }")
                prerouting.append("iifname \(wans) ip daddr \(translation.outside) dnat ip prefix to ip daddr map { \(translation.outside) : \(translation.inside) }")
            }
            postrouting.append("oifname \(wans) masquerade")
        }

        var forward = ["ct state established,related accept"]
        let lanByID = Dictionary(lans.compactMap { entry in entry.lan.id.map { ($0, entry) } }, uniquingKeysWith: { first, _ in first })
        let lanByName = Dictionary(lans.compactMap { entry in entry.lan.name.map { ($0, entry) } }, uniquingKeysWith: { first, _ in first })
        func resolve(_ side: ACLConfiguration?) -> (lan: LAN, link: String, subnet: String?)? {
            guard let side else { return nil }
            if let id = side.lanId, let entry = lanByID[id] { return entry }
            if let name = side.lanName, let entry = lanByName[name] { return entry }
            return nil
        }
        // forward_locally false with tunnels: the ACL's traffic leaves by a tunnel (checked here, on the way out)
        // and comes back in from one (see `ViaEdge`); else it is forwarded between the two LAN links.
        let tunnels = config.ipsecTunnels.indices.map { "\"\(SiteNames.tunnelLink($0))\"" }
        for acl in config.acls {
            guard let one = resolve(acl.lan1), let two = resolve(acl.lan2) else { continue }
            let viaEdge = ViaEdge.applies(to: acl, in: config) && one.subnet != nil && two.subnet != nil
            let label = "acl \(sanitize(acl.name ?? acl.id ?? "unnamed")) forward_locally=\(acl.forwardLocally ?? false)"
                + (viaEdge ? " via the edge" : "")
            let via = viaEdge ? set(tunnels) : nil
            forward += rules(from: one, acl.lan1!, to: two, acl.lan2!, protocols: acl.protocols ?? [], label: label, via: via)
            if acl.unidirectional != true {
                forward += rules(from: two, acl.lan2!, to: one, acl.lan1!, protocols: acl.protocols ?? [], label: label, via: via)
            }
        }
        let lanLinks = lans.map(\.link)
        // Every ordered pair of distinct LANs: traffic that stays on one LAN (to a routed subnet behind a next
        // hop on it) is not LAN-to-LAN.
        let pairs = lanLinks.flatMap { from in lanLinks.filter { $0 != from }.map { "\"\(from)\" . \"\($0)\"" } }
        if !pairs.isEmpty {
            forward.append("iifname . oifname { \(pairs.joined(separator: ", ")) } counter drop comment \"LAN to LAN without an ACL\"")
        }
        let lanSubnets = lans.compactMap(\.subnet)
        if !tunnels.isEmpty, !lanSubnets.isEmpty, !ViaEdge.legs(config).isEmpty {
            let links = set(lanLinks.map { "\"\($0)\"" })
            forward.append("iifname \(links) oifname \(set(tunnels)) ip daddr \(set(lanSubnets)) counter drop comment \"LAN to LAN via the edge without an ACL\"")
            forward.append("iifname \(set(tunnels)) oifname \(links) ip saddr \(set(lanSubnets)) counter drop comment \"LAN to LAN via the edge without an ACL\"")
        }

        var body = "table ip \(table) {\n"
        body += chain("postrouting", hook: "type nat hook postrouting priority srcnat; policy accept;", postrouting)
        body += chain("prerouting", hook: "type nat hook prerouting priority dstnat; policy accept;", prerouting)
        body += chain("forward", hook: "type filter hook forward priority filter; policy accept;", forward)
        let fingerprint = Fingerprint.of(body)
        body += chain("fingerprint", hook: nil, ["counter comment \"fingerprint \(fingerprint)\""])
        body += "}\n"
        return ("table ip \(table)\ndelete table ip \(table)\n" + body, fingerprint)
    }

    /// Accept rules for traffic from LAN `from` to LAN `to`: destination ports are those of the `to` side.
    /// Only parsed values are written (addresses, port numbers, the three protocols); a side or protocol that
    /// does not parse (validation rejects it first) yields no rule at all, so the LAN pair stays dropped: a
    /// rule never becomes broader than the config meant.
    private static func rules(
        from: (lan: LAN, link: String, subnet: String?), _ fromSide: ACLConfiguration,
        to: (lan: LAN, link: String, subnet: String?), _ toSide: ACLConfiguration,
        protocols: [String], label: String, via tunnels: String? = nil
    ) -> [String] {
        guard protocols.allSatisfy(["tcp", "udp", "icmp"].contains) else { return [] }
        if let tunnels {
            // Via the edge: the same matches out to the tunnels and in again from them.
            let legs = [("\"\(from.link)\"", tunnels), (tunnels, "\"\(to.link)\"")]
            return legs.flatMap { input, output in
                rules(from: (from.lan, input, from.subnet), fromSide, to: (to.lan, output, to.subnet), toSide, protocols: protocols, label: label, quoted: true)
            }
        }
        return rules(from: from, fromSide, to: to, toSide, protocols: protocols, label: label, quoted: false)
    }

    /// The accept rules of one direction between two links (names, or already-quoted link sets when `quoted`).
    private static func rules(
        from: (lan: LAN, link: String, subnet: String?), _ fromSide: ACLConfiguration,
        to: (lan: LAN, link: String, subnet: String?), _ toSide: ACLConfiguration,
        protocols: [String], label: String, quoted: Bool
    ) -> [String] {
        guard let sources = subnets(fromSide, from.subnet), let destinations = subnets(toSide, to.subnet), let ports = ports(toSide) else { return [] }
        var match = quoted ? "iifname \(from.link) oifname \(to.link)" : "iifname \"\(from.link)\" oifname \"\(to.link)\""
        if let sources = sources.set { match += " ip saddr \(sources)" }
        if let destinations = destinations.set { match += " ip daddr \(destinations)" }
        let transport = protocols.isEmpty ? (ports.isEmpty ? [] : ["tcp", "udp"]) : protocols.filter { $0 != "icmp" }
        var rules: [String] = []
        if protocols.isEmpty && ports.isEmpty {
            rules.append("\(match) accept comment \"\(label)\"")
        }
        if !transport.isEmpty {
            let portMatch = ports.isEmpty ? "" : " th dport \(set(ports))"
            rules.append("\(match) meta l4proto \(set(transport))\(portMatch) accept comment \"\(label)\"")
        }
        if protocols.contains("icmp") {
            rules.append("\(match) meta l4proto icmp accept comment \"\(label)\"")
        }
        return rules
    }

    /// An address match of one side: an nft set, or nil for "any address" (a LAN without a static subnet).
    private struct AddressMatch { let set: String? }

    /// The side's subnets (or its LAN's subnet) as a match; nil when one of the given subnets is not one.
    private static func subnets(_ side: ACLConfiguration, _ lanSubnet: String?) -> AddressMatch? {
        guard let given = side.subnets, !given.isEmpty else { return AddressMatch(set: lanSubnet) }
        var networks: [String] = []
        for field in given {
            guard let subnet = field.value else { return nil }
            networks.append(subnet.network)
        }
        return AddressMatch(set: set(networks))
    }

    /// The side's ports and port ranges as nft writes them (`22`, `8000-8100`); nil when one does not parse.
    private static func ports(_ side: ACLConfiguration) -> [String]? {
        var result: [String] = []
        for port in side.ports ?? [] {
            guard (1...65535).contains(port) else { return nil }
            result.append(String(port))
        }
        for range in side.portRanges ?? [] {
            let bounds = range.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 2, bounds.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
                let low = Int(bounds[0]), let high = Int(bounds[1]), (1...65535).contains(low), (low...65535).contains(high)
            else { return nil }
            result.append("\(low)-\(high)")
        }
        return result
    }

    private static func set(_ items: [String]) -> String { items.count == 1 ? items[0] : "{ \(items.joined(separator: ", ")) }" }

    private static func chain(_ name: String, hook: String?, _ rules: [String]) -> String {
        var text = "  chain \(name) {\n"
        if let hook { text += "    \(hook)\n" }
        for rule in rules { text += "    \(rule)\n" }
        return text + "  }\n"
    }

    /// Comments are quoted strings; keep names to ASCII characters nft accepts there (no quote, backslash or
    /// control character can close the string or the line), and short (nft limits a comment to 128 bytes).
    static func sanitize(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(64).map { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", " ", ".", ":": scalar
            default: "_"
            }
        }))
    }
}
