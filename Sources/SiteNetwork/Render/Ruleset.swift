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
             subnet: lan.staticAddressing?.address.flatMap(IPv4CIDR.init)?.networkCIDR)
        }

        var postrouting: [String] = []
        var prerouting: [String] = []
        if !wanLinks.isEmpty {
            let wans = set(wanLinks.map { "\"\($0)\"" })
            var translations: [(inside: String, outside: String)] = []
            for entry in lans {
                if let subnet = entry.subnet, let nat = entry.lan.nat?.staticPrefix.flatMap(IPv4CIDR.init) {
                    translations.append((subnet, nat.networkCIDR))
                }
                for routed in entry.lan.routedSubnets ?? [] {
                    if let prefix = routed.prefix.flatMap(IPv4CIDR.init), let nat = routed.nat?.staticPrefix.flatMap(IPv4CIDR.init) {
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
        for acl in config.acls {
            guard let one = resolve(acl.lan1), let two = resolve(acl.lan2) else { continue }
            // forward_locally false means "via Cloudflare" on a real device; the lab has no tunnel, so both allow
            // locally and the comment keeps which one was asked for.
            let label = "acl \(sanitize(acl.name ?? acl.id ?? "unnamed")) forward_locally=\(acl.forwardLocally ?? false)"
            forward += rules(from: one, acl.lan1!, to: two, acl.lan2!, protocols: acl.protocols ?? [], label: label)
            if acl.unidirectional != true {
                forward += rules(from: two, acl.lan2!, to: one, acl.lan1!, protocols: acl.protocols ?? [], label: label)
            }
        }
        let lanLinks = lans.map(\.link)
        // Every ordered pair of distinct LANs: traffic that stays on one LAN (to a routed subnet behind a next
        // hop on it) is not LAN-to-LAN.
        let pairs = lanLinks.flatMap { from in lanLinks.filter { $0 != from }.map { "\"\(from)\" . \"\($0)\"" } }
        if !pairs.isEmpty {
            forward.append("iifname . oifname { \(pairs.joined(separator: ", ")) } counter drop comment \"LAN to LAN without an ACL\"")
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
    private static func rules(
        from: (lan: LAN, link: String, subnet: String?), _ fromSide: ACLConfiguration,
        to: (lan: LAN, link: String, subnet: String?), _ toSide: ACLConfiguration,
        protocols: [String], label: String
    ) -> [String] {
        var match = "iifname \"\(from.link)\" oifname \"\(to.link)\""
        if let sources = subnets(fromSide, from.subnet) { match += " ip saddr \(sources)" }
        if let destinations = subnets(toSide, to.subnet) { match += " ip daddr \(destinations)" }
        let ports = (toSide.ports ?? []).map(String.init) + (toSide.portRanges ?? [])
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

    private static func subnets(_ side: ACLConfiguration, _ lanSubnet: String?) -> String? {
        if let given = side.subnets, !given.isEmpty { return set(given) }
        return lanSubnet
    }

    private static func set(_ items: [String]) -> String { items.count == 1 ? items[0] : "{ \(items.joined(separator: ", ")) }" }

    private static func chain(_ name: String, hook: String?, _ rules: [String]) -> String {
        var text = "  chain \(name) {\n"
        if let hook { text += "    \(hook)\n" }
        for rule in rules { text += "    \(rule)\n" }
        return text + "  }\n"
    }

    /// Comments are quoted strings; keep names to characters nft accepts there.
    private static func sanitize(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || "-_ .:".contains($0) ? $0 : "_" })
    }
}
