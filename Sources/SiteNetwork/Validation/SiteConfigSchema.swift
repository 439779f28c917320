import ConnectorAPI

/// Every key a site config file may hold, at every depth, so a misspelt or invented key is an error with its
/// JSON path instead of silently meaning "not set" (an ACL written `{"protocol": "tcp"}` must not become an
/// allow-all rule). Mirrors the ConnectorAPI types; `SiteConfigSchemaTests` checks the two agree.
indirect enum SiteConfigSchema: Sendable {
    /// A JSON object with exactly these keys (each optional).
    case object([String: SiteConfigSchema])
    /// A JSON array whose items have this shape.
    case array(SiteConfigSchema)
    /// A JSON object with keys of the user's choosing (MAC -> IP reservations).
    case map(SiteConfigSchema)
    /// Anything that is not an object: strings, numbers, booleans (the decoder checks their types).
    case value
    /// A subtree that is ignored whole (the demo file's `connector`, which is for the API).
    case ignored

    static let natShape = SiteConfigSchema.object(["static_prefix": .value])
    static let aclSideShape = SiteConfigSchema.object([
        "lan_id": .value, "lan_name": .value, "port_ranges": .array(.value), "ports": .array(.value), "subnets": .array(.value),
    ])

    static let healthCheckShape = SiteConfigSchema.object([
        "direction": .value, "enabled": .value, "rate": .value, "type": .value, "target": .object(["effective": .value, "saved": .value]),
    ])

    /// The whole file: `{site, wans, lans, acls, ipsec_tunnels, routes}` and the ignored `connector`.
    static let file = SiteConfigSchema.object([
        "connector": .ignored,
        "site": .object([
            "id": .value, "connector_id": .value, "description": .value, "ha_mode": .value,
            "location": .object(["lat": .value, "lon": .value]), "name": .value, "secondary_connector_id": .value,
        ]),
        "wans": .array(.object([
            "id": .value, "health_check_rate": .value, "name": .value, "physport": .value, "priority": .value,
            "site_id": .value, "vlan_tag": .value,
            "static_addressing": .object(["address": .value, "gateway_address": .value, "secondary_address": .value]),
        ])),
        "lans": .array(.object([
            "id": .value, "bond_id": .value, "ha_link": .value, "is_breakout": .value, "is_prioritized": .value,
            "name": .value, "nat": natShape, "physport": .value, "site_id": .value, "vlan_tag": .value,
            "routed_subnets": .array(.object(["next_hop": .value, "prefix": .value, "nat": natShape])),
            "static_addressing": .object([
                "address": .value, "secondary_address": .value, "virtual_address": .value,
                "dhcp_relay": .object(["server_addresses": .array(.value)]),
                "dhcp_server": .object([
                    "dhcp_pool_start": .value, "dhcp_pool_end": .value, "dns_server": .value,
                    "dns_servers": .array(.value), "reservations": .map(.value),
                ]),
            ]),
        ])),
        "acls": .array(.object([
            "id": .value, "description": .value, "forward_locally": .value, "name": .value,
            "protocols": .array(.value), "unidirectional": .value, "lan_1": aclSideShape, "lan_2": aclSideShape,
        ])),
        "ipsec_tunnels": .array(.object([
            "id": .value, "cloudflare_endpoint": .value, "interface_address": .value, "interface_address6": .value, "name": .value,
            "allow_null_cipher": .value, "automatic_return_routing": .value, "created_on": .value, "customer_endpoint": .value,
            "description": .value, "health_check": healthCheckShape, "modified_on": .value, "psk": .value, "replay_protection": .value,
            "bgp": .object(["customer_asn": .value, "extra_prefixes": .array(.value), "md5_key": .value]),
            "custom_remote_identities": .object(["fqdn_id": .value]), "psk_metadata": .object(["last_generated_on": .value]),
            "bgp_status": .ignored,
        ])),
        "routes": .array(.object([
            "id": .value, "nexthop": .value, "prefix": .value, "priority": .value, "created_on": .value, "description": .value,
            "modified_on": .value, "weight": .value, "scope": .object(["colo_names": .array(.value), "colo_regions": .array(.value)]),
        ])),
    ])

    /// A key of the document that the schema does not know, with where it is and what was probably meant.
    struct UnknownKey: Sendable, Equatable {
        /// JSON path of the key itself, e.g. `acls[0].protocol`.
        var path: String
        var key: String
        /// The closest known key at that place, if one is close.
        var suggestion: String?

        var message: String {
            "unknown key" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        }
    }

    /// Every key of `value` the schema does not know, in document order (keys sorted within an object).
    /// Type mismatches are left to the decoder, which names them better.
    func unknownKeys(in value: JSONValue, at path: [any CodingKey] = []) -> [UnknownKey] {
        switch (self, value) {
        case (.object(let known), .object(let members)):
            var found: [UnknownKey] = []
            for key in members.keys.sorted() {
                let keyPath = path + [PathKey(key)]
                if let shape = known[key] {
                    found += shape.unknownKeys(in: members[key]!, at: keyPath)
                } else {
                    found.append(UnknownKey(path: SiteConfigFile.jsonPath(keyPath), key: key, suggestion: Self.suggestion(for: key, in: known)))
                }
            }
            return found
        case (.array(let item), .array(let items)):
            return items.enumerated().flatMap { index, element in item.unknownKeys(in: element, at: path + [PathKey(index)]) }
        case (.map(let item), .object(let members)):
            return members.keys.sorted().flatMap { key in item.unknownKeys(in: members[key]!, at: path + [PathKey(key)]) }
        default:
            return []
        }
    }

    /// What an unknown `key` in an object of shape `known` most likely meant: a close key of the object itself,
    /// else a close key one level down (an ACL's `port` -> `lan_1.ports`: ports belong to a side).
    static func suggestion(for key: String, in known: [String: SiteConfigSchema]) -> String? {
        if let close = closest(to: key, among: Array(known.keys)) { return close }
        for child in known.keys.sorted() {
            guard case .object(let members) = known[child]! else { continue }
            if let close = closest(to: key, among: Array(members.keys)) { return "\(child).\(close)" }
        }
        return nil
    }

    /// The known key a typo most likely meant: a small edit distance (`protocol` -> `protocols`), or a known key
    /// that ends with the word given (`start` -> `dhcp_pool_start`). nil when nothing is close.
    static func closest(to key: String, among known: [String]) -> String? {
        let lowered = key.lowercased()
        // Scores in half steps: a word of a longer key counts as 1.5 edits, so a true one-letter typo wins.
        let scored = known.map { candidate -> (String, Int) in
            var score = 2 * editDistance(lowered, candidate)
            if candidate.hasSuffix("_" + lowered) || candidate.hasPrefix(lowered + "_") { score = min(score, 3) }
            return (candidate, score)
        }
        let limit = 2 * max(1, min(3, key.count / 3)) + 1
        return scored.filter { $0.1 <= limit }.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    /// Levenshtein distance over characters (keys are short).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
