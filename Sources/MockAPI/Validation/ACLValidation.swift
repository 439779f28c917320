import ConnectorAPI

/// Rules of an ACL: both sides name LANs of the same site; ports, ranges, subnets and protocols parse.
enum ACLValidation {
    static let protocols = ["tcp", "udp", "icmp"]

    /// Validates `acl`; `lans` are the site's LANs (id -> name). Returns the ACL with `lan_name`s filled in.
    static func validate(_ acl: ACL, lans: [String: String?]) throws -> ACL {
        var acl = acl
        guard let name = acl.name else { throw APIError.missing("name") }
        try Rules.name(name, "name")
        try Rules.description(acl.description, "description")
        guard let lan1 = acl.lan1 else { throw APIError.missing("lan_1") }
        guard let lan2 = acl.lan2 else { throw APIError.missing("lan_2") }
        acl.lan1 = try side(lan1, field: "lan_1", lans: lans)
        acl.lan2 = try side(lan2, field: "lan_2", lans: lans)
        if lan1.lanId == lan2.lanId {
            throw APIError.invalid("lan_2.lan_id", "an ACL connects two different LANs; both sides name '\(lan1.lanId ?? "")'")
        }
        for (index, proto) in (acl.protocols ?? []).enumerated() where !protocols.contains(proto) {
            throw APIError.invalid("protocols[\(index)]", "\(Rules.quoted(proto)) is not one of tcp, udp, icmp")
        }
        return acl
    }

    private static func side(_ config: ACLConfiguration, field: String, lans: [String: String?]) throws -> ACLConfiguration {
        var config = config
        guard let lanID = config.lanId else { throw APIError.missing("\(field).lan_id") }
        try Rules.id(lanID, "\(field).lan_id")
        guard let lanName = lans[lanID] else {
            throw APIError.invalid("\(field).lan_id", "no LAN '\(lanID)' in this site; an ACL can only name LANs of its own site")
        }
        config.lanName = lanName
        for (index, port) in (config.ports ?? []).enumerated() where !(1...65535).contains(port) {
            throw APIError.invalid("\(field).ports[\(index)]", "\(port) is not a port (1-65535)")
        }
        for (index, range) in (config.portRanges ?? []).enumerated() {
            let bounds = range.split(separator: "-", omittingEmptySubsequences: false).map(Rules.port)
            guard bounds.count == 2, let low = bounds[0], let high = bounds[1], low <= high else {
                throw APIError.invalid("\(field).port_ranges[\(index)]", "\(Rules.quoted(range)) is not a port range 'low-high' within 1-65535")
            }
        }
        for (index, subnet) in (config.subnets ?? []).enumerated() where IPv4Address(subnet) == nil && IPv4CIDR(subnet) == nil {
            throw APIError.invalid("\(field).subnets[\(index)]", "\(Rules.quoted(subnet)) is neither an IPv4 address nor an IPv4 CIDR")
        }
        return config
    }
}
