import ConnectorAPI

// Checks of single fields shared by the object rules. Each reports a problem at `path` and returns the
// value (parsed at decode), or nil when the field is absent or unusable (so the rules that depend on it are
// skipped). A field whose text is not a value is reported here, with the text as written.

extension SiteCheck {
    /// `wans[0] ('isp-a')`, or `wans[0]` for an unnamed object.
    static func label(_ list: String, _ index: Int, _ name: String?) -> String {
        if let name, !name.isEmpty { return "\(list)[\(index)] ('\(name)')" }
        return "\(list)[\(index)]"
    }

    /// An object key (a reservation's MAC) as written in a path's `["..."]`: a quote or backslash escaped, so the
    /// key cannot end the brackets early (`JSONPointer` undoes it).
    static func key(_ text: String) -> String {
        String(text.flatMap { $0 == "\"" || $0 == "\\" ? ["\\", $0] : [$0] })
    }

    /// A plain IPv4 address such as a gateway, pool bound or DNS server.
    mutating func address(_ field: AddressField?, _ path: String) -> IPv4Address? {
        guard let field else { return nil }
        guard let address = field.value else {
            add(path, .notAnAddress, "'\(field.text)' is not an IPv4 address (expected a.b.c.d)")
            return nil
        }
        return address
    }

    /// An interface address with its prefix length, e.g. `192.168.10.1/24`: a host address of its subnet.
    mutating func interfaceAddress(_ field: CIDRField?, _ path: String) -> IPv4CIDR? {
        guard let field else { return nil }
        guard let cidr = field.value else {
            add(
                path, .notAPrefix,
                "'\(field.text)' is not an IPv4 address with a prefix length (expected a.b.c.d/len, len 0-32)")
            return nil
        }
        if let special = Self.reserved(cidr.address, in: cidr) {
            add(
                path, .notAHost,
                "\(cidr.address) is the \(special) of \(cidr.networkCIDR); an interface needs a host address")
        }
        return cidr
    }

    /// A network prefix (a route or a NAT range): host bits must be zero.
    mutating func networkPrefix(_ field: CIDRField?, _ path: String) -> IPv4CIDR? {
        guard let field else { return nil }
        guard let cidr = field.value else {
            add(path, .notAPrefix, "'\(field.text)' is not an IPv4 CIDR (expected a.b.c.d/len, len 0-32)")
            return nil
        }
        if cidr.hasHostBits {
            add(
                path, .hostBits,
                "\(field.text) has host bits set; a prefix starts at its network address (\(cidr.networkCIDR))")
        }
        return IPv4CIDR(address: cidr.network, prefixLength: cidr.prefixLength)
    }

    /// "network address" or "broadcast address" when `address` is one of those of `subnet` (/30 and wider).
    static func reserved(_ address: IPv4Address, in subnet: IPv4CIDR) -> String? {
        guard subnet.prefixLength <= 30 else { return nil }
        if address == subnet.network { return "network address" }
        if address == subnet.broadcast { return "broadcast address" }
        return nil
    }

    /// A name, if given, must not be blank, must be printable text of bounded length (it reaches daemon configs,
    /// comments and terminals) and must be unique among `seen` (name -> first owner).
    mutating func checkName(
        _ name: String?, _ path: String, owner: String, kind: String, seen: WritableKeyPath<SiteCheck, [String: String]>
    ) {
        guard let name else { return }
        if name.allSatisfy(\.isWhitespace) {
            add(path, .badText, "must not be empty; give the \(kind) a name or leave name out")
            return
        }
        guard text(name, path) else { return }
        if let first = self[keyPath: seen][name] {
            add(
                path, .duplicate,
                "'\(name)' is already the name of \(first); \(kind) names must be unique within the site")
        } else {
            self[keyPath: seen][name] = owner
        }
    }

    /// `physport` (numbered from 1) and `vlan_tag` (0-4094), and that no earlier WAN or LAN uses the same pair.
    mutating func checkPort(physport: Int?, vlanTag: Int?, base: String, owner: String) {
        if let physport, physport < 1 {
            add("\(base).physport", .outOfRange, "\(physport) is not a port number (ports are numbered from 1)")
        }
        if let vlanTag, !(0...4094).contains(vlanTag) {
            add("\(base).vlan_tag", .outOfRange, "\(vlanTag) is out of range; VLAN tags are 0 (untagged) to 4094")
        }
        guard let physport, physport >= 1 else { return }
        let vlan = vlanTag ?? 0
        let key = PortKey(physport: physport, vlan: vlan)
        if let first = portUsers[key] {
            let field = vlanTag == nil ? "physport" : "vlan_tag"
            add(
                "\(base).\(field)", .portInUse,
                "physport \(physport) VLAN \(vlan) is already used by \(first); each WAN and LAN needs its own port or VLAN tag"
            )
        } else {
            portUsers[key] = owner
        }
    }

    /// Free text (a name or description): printable, on one line, bounded. False (and a problem) when it is not.
    @discardableResult
    mutating func text(_ value: String?, _ path: String) -> Bool {
        guard let value, let problem = TextRules.nameProblem(value) else { return true }
        add(path, .badText, problem)
        return false
    }

    /// An id (of the site, a WAN, LAN, ACL or connector): a short token of letters, digits, '-' and '_'.
    mutating func identifier(_ value: String?, _ path: String) {
        guard let value, let problem = TextRules.idProblem(value) else { return }
        add(path, .badText, problem)
    }
}
