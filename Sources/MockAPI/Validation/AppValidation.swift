import ConnectorAPI

/// Rules of a custom app: a printable name and type, hostnames that are DNS names, subnets that are IPv4 networks
/// (the seed: "IPv6 CIDRs are currently unsupported"). The seed gives no limits; the mock allows 256 entries a list.
enum AppValidation {
    static let maximumEntries = 256

    static func validate(_ app: AccountApp) throws {
        guard app.name != nil else { throw APIError.missing("name") }
        guard app.type != nil else { throw APIError.missing("type") }
        try Rules.name(app.name, "name")
        try Rules.name(app.type, "type")
        try each(app.hostnames, "hostnames") { hostname, field in
            guard isDNSName(hostname) else {
                throw APIError.invalid(field, "\(Rules.quoted(hostname)) is not a DNS name (labels of letters, digits and '-', at least two)")
            }
        }
        for (list, key) in [(app.ipSubnets, "ip_subnets"), (app.sourceSubnets, "source_subnets")] {
            try each(list, key) { text, field in
                let subnet = try Rules.cidr(text, field)!
                if subnet.hasHostBits {
                    throw APIError.invalid(field, "\(subnet) has host bits set; the network is \(subnet.networkCIDR)")
                }
            }
        }
    }

    /// Checks the size of a list, then each entry, refusing repeats; errors name `key[index]`.
    private static func each(_ list: [String]?, _ key: String, _ check: (String, String) throws -> Void) throws {
        guard let list else { return }
        if list.count > maximumEntries { throw APIError.invalid(key, "has \(list.count) entries; at most \(maximumEntries) are allowed") }
        var seen = Set<String>()
        for (index, entry) in list.enumerated() {
            let field = "\(key)[\(index)]"
            try check(entry, field)
            guard seen.insert(entry.lowercased()).inserted else { throw APIError.invalid(field, "\(Rules.quoted(entry)) is listed twice") }
        }
    }

    /// A fully qualified name: at most 253 bytes, two or more labels of 1-63 ASCII letters, digits and '-' (not
    /// first or last), the last not all digits (so an address is not taken for a name). No wildcards.
    static func isDNSName(_ name: String) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard name.utf8.count <= 253, labels.count >= 2, let last = labels.last, !last.allSatisfy(\.isNumber) else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { TextRules.isIDCharacter($0) && $0 != "_" }
        }
    }
}
