import ConnectorAPI
import SiteRules

/// What this connector needs of a config beyond the API's rules: each tunnel is a charon of its own (bounded, with
/// a key to authenticate and an identity strongSwan accepts).
enum ConnectorLimits {
    /// Each tunnel is a charon of its own with its own local NAT-T port (4501 + index): bounded.
    static let maximumTunnels = 32

    static func problems(in config: SiteConfig) -> [SiteProblem] {
        var problems: [SiteProblem] = []
        if config.ipsecTunnels.count > maximumTunnels {
            problems.append(
                SiteProblem(
                    "ipsec_tunnels[\(maximumTunnels)]", .tooMany, "a site has at most \(maximumTunnels) IPsec tunnels"))
        }
        for (index, tunnel) in config.ipsecTunnels.enumerated() {
            let base = "ipsec_tunnels[\(index)]"
            if let psk = tunnel.psk {
                if !(8...256).contains(psk.utf8.count) {
                    problems.append(SiteProblem("\(base).psk", .outOfRange, "must be 8 to 256 bytes long"))
                }
            } else {
                problems.append(
                    SiteProblem(
                        "\(base).psk", .required,
                        "required: the pre-shared key the tunnel authenticates with (mock-api's psk_generate gives one)"
                    )
                )
            }
            if let fqdn = tunnel.customRemoteIdentities?.fqdnId, !StrongSwan.isIdentity(fqdn) {
                problems.append(
                    SiteProblem(
                        "\(base).custom_remote_identities.fqdn_id", .badFormat,
                        "'\(TextRules.printable(fqdn, limit: 64))' is not a domain name (letters, digits, '-' and '.', at most 253)"
                    )
                )
            }
        }
        return problems
    }
}
