import ConnectorAPI

// Rules of an ACL: two different LANs of the site, each side's ports, port ranges and subnets, protocols.

extension SiteCheck {
    static let protocols = ["tcp", "udp", "icmp"]

    mutating func checkACL(_ acl: ACL, base: String, owner: String) {
        if acl.name == nil { add("\(base).name", .required, "required: the ACL's name") }
        checkName(acl.name, "\(base).name", owner: owner, kind: "ACL", seen: \.aclNames)
        identifier(acl.id, "\(base).id")
        text(acl.description, "\(base).description")

        for (position, proto) in (acl.protocols ?? []).enumerated() where !Self.protocols.contains(proto) {
            add("\(base).protocols[\(position)]", .notOneOf, "'\(proto)' is not a protocol (expected tcp, udp or icmp)")
        }
        let protocols = acl.protocols ?? []
        let known = protocols.allSatisfy(Self.protocols.contains)
        let portless = known && !protocols.isEmpty && !protocols.contains("tcp") && !protocols.contains("udp")

        var sides: [LANFacts?] = []
        for (name, side) in [("lan_1", acl.lan1), ("lan_2", acl.lan2)] {
            let path = "\(base).\(name)"
            guard let side else {
                add(path, .required, "required: the LAN on this side of the ACL (lan_id or lan_name)")
                sides.append(nil)
                continue
            }
            let lan = resolveLAN(side, path: path)
            checkSide(side, path: path, lan: lan, portless: portless)
            sides.append(lan)
        }
        if let first = sides[0], let second = sides[1], first.index == second.index {
            // At the field that names it, so a pointer leads to what to change.
            let field = acl.lan2?.lanId != nil ? "lan_id" : "lan_name"
            add(
                "\(base).lan_2.\(field)", .duplicate,
                "names the same LAN as lan_1 (\(first.label)); an ACL connects two different LANs")
        }
    }

    /// The LAN a side names by `lan_id` or `lan_name` (both must agree when both are given).
    private mutating func resolveLAN(_ side: ACLConfiguration, path: String) -> LANFacts? {
        if side.lanId == nil, side.lanName == nil {
            add(path, .required, "names no LAN; give lan_id or lan_name")
            return nil
        }
        var byID: LANFacts?
        if let id = side.lanId {
            byID = lans.first { $0.id == id }
            if byID == nil {
                add("\(path).lan_id", .unknownReference, "no LAN with id '\(id)' in this site (\(knownLANs(\.id)))")
            }
        }
        var byName: LANFacts?
        if let name = side.lanName {
            byName = lans.first { $0.name == name }
            if byName == nil {
                add("\(path).lan_name", .unknownReference, "no LAN named '\(name)' in this site (\(knownLANs(\.name)))")
            }
        }
        if let byID, let byName, byID.index != byName.index {
            add(
                "\(path).lan_name", .inconsistent,
                "'\(side.lanName ?? "")' is \(byName.label) but lan_id '\(side.lanId ?? "")' is \(byID.label); name one LAN"
            )
            return nil
        }
        return byID ?? byName
    }

    private func knownLANs(_ key: KeyPath<LANFacts, String?>) -> String {
        var seen: Set<String> = []
        let known = lans.compactMap { $0[keyPath: key] }.filter { seen.insert($0).inserted }.map { "'\($0)'" }
        return known.isEmpty ? "it has none" : "it has \(known.joined(separator: ", "))"
    }

    private mutating func checkSide(_ side: ACLConfiguration, path: String, lan: LANFacts?, portless: Bool) {
        for (index, port) in (side.ports ?? []).enumerated() where !(1...65535).contains(port) {
            add("\(path).ports[\(index)]", .outOfRange, "\(port) is not a port (expected 1-65535)")
        }
        for (index, range) in (side.portRanges ?? []).enumerated() {
            if let problem = Self.portRangeProblem(range) { add("\(path).port_ranges[\(index)]", .badFormat, problem) }
        }
        if portless, !(side.ports ?? []).isEmpty || !(side.portRanges ?? []).isEmpty {
            add(
                path, .inconsistent, "ports and port_ranges apply to tcp and udp, but the ACL's protocols allow neither"
            )
        }
        for (index, subnetField) in (side.subnets ?? []).enumerated() {
            let field = "\(path).subnets[\(index)]"
            let text = subnetField.text
            guard let cidr = subnetField.value?.cidr else {
                add(
                    field, .notAPrefix,
                    "'\(text)' is neither an IPv4 address nor an IPv4 CIDR (expected a.b.c.d or a.b.c.d/len)")
                continue
            }
            if cidr.hasHostBits {
                add(
                    field, .hostBits,
                    "\(text) has host bits set; give the network (\(cidr.networkCIDR)) or a single address")
                continue
            }
            guard let lan, let subnet = lan.subnet else { continue }
            if !subnet.contains(cidr), !lan.routedPrefixes.contains(where: { $0.contains(cidr) }) {
                let routed = lan.routedPrefixes.isEmpty ? "" : " or its routed subnets"
                add(
                    field, .outsideSubnet,
                    "\(text) is outside \(lan.label) subnet \(subnet.networkCIDR)\(routed); an ACL subnet lies within its LAN"
                )
            }
        }
    }

    /// Why `range` is not a `low-high` port range within 1-65535, or nil when it is one.
    static func portRangeProblem(_ range: String) -> String? {
        let bounds = range.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2,
            bounds.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let low = Int(bounds[0]), let high = Int(bounds[1])
        else { return "'\(range)' is not a port range (expected low-high, e.g. 8000-8100)" }
        if !(1...65535).contains(low) || !(1...65535).contains(high) {
            return "'\(range)' is out of range (ports are 1-65535)"
        }
        if low > high { return "'\(range)' is reversed; the low port comes first (\(high)-\(low))" }
        return nil
    }
}
