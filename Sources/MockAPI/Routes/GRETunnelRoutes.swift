import ConnectorAPI
import SiteRules

/// GRE tunnels: `/accounts/:account_id/magic/gre_tunnels[/:gre_tunnel_id]`. Stored and served only: no kernel
/// here has GRE, so the lab builds no GRE tunnel.
extension GRETunnel: TunnelObject {
    static var family: MagicFamily {
        MagicFamily(
            segment: "gre_tunnels", key: "gre_tunnel", noun: "GRE tunnel",
            documentationURL: "https://developers.cloudflare.com/api/resources/magic_transit/subresources/gre_tunnels/"
        )
    }
    var missingRequiredField: String? {
        if cloudflareGreEndpoint == nil { return "cloudflare_gre_endpoint" }
        if customerGreEndpoint == nil { return "customer_gre_endpoint" }
        if interfaceAddress == nil { return "interface_address" }
        return name == nil ? "name" : nil
    }

    func merged(with patch: GRETunnel) -> GRETunnel {
        var tunnel = self
        tunnel.cloudflareGreEndpoint = patch.cloudflareGreEndpoint ?? cloudflareGreEndpoint
        tunnel.customerGreEndpoint = patch.customerGreEndpoint ?? customerGreEndpoint
        tunnel.interfaceAddress = patch.interfaceAddress ?? interfaceAddress
        tunnel.interfaceAddress6 = patch.interfaceAddress6 ?? interfaceAddress6
        tunnel.name = patch.name ?? name
        tunnel.automaticReturnRouting = patch.automaticReturnRouting ?? automaticReturnRouting
        tunnel.bgp = patch.bgp ?? bgp
        tunnel.description = patch.description ?? description
        tunnel.healthCheck = patch.healthCheck ?? healthCheck
        tunnel.mtu = patch.mtu ?? mtu
        tunnel.ttl = patch.ttl ?? ttl
        return tunnel
    }

    static func prepare(_ value: GRETunnel, scope: AccountScope, existing: GRETunnel?) throws -> GRETunnel {
        var tunnel = value
        try TunnelValidation.prepare(&tunnel, problems: SiteRulebook.problems(of: tunnel), hasDirection: true)
        tunnel.mtu = tunnel.mtu ?? 1476
        tunnel.ttl = tunnel.ttl ?? 64
        tunnel.bgpStatus = nil
        try TunnelValidation.checkAccount(tunnel, scope: scope)
        return tunnel
    }

    static func checkDelete(_ value: GRETunnel, scope: AccountScope) throws {
        try TunnelValidation.checkDelete(value, scope: scope)
    }

    /// The health check target defaults to the customer's GRE endpoint.
    func served(objectTargets: Bool) -> GRETunnel {
        var tunnel = self
        tunnel.healthCheck = TunnelServing.healthCheck(healthCheck, defaultTarget: customerGreEndpoint, objectTargets: objectTargets)
        tunnel.bgpStatus = TunnelServing.bgpStatus(bgp, since: modifiedOn)
        return tunnel
    }
}
