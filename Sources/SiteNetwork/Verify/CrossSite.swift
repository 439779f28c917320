import ConnectorAPI

/// What the configs say of traffic from a LAN of one site to a host of another site verified with it: it goes out
/// through the first site's tunnels (private space that is not its own), the edge sends it on by the other site's
/// Magic routes, and the answer comes back by the first site's. Any missing piece is the rule that drops it.
enum CrossSite {
    static func decision(from config: SiteConfig, source: IPv4Address, to peer: SiteConfig, destination: IPv4Address) -> Decision {
        let site = config.site.name ?? config.site.id ?? "this site"
        let other = peer.site.name ?? peer.site.id ?? "the other site"
        guard !config.ipsecTunnels.isEmpty else {
            return Decision(.drop, "site \(site) has no IPsec tunnel: other sites are not reachable")
        }
        guard TunnelPlan.tunnelledSpace.compactMap(IPv4CIDR.init).contains(where: { $0.contains(destination) }) else {
            return Decision(.drop, "\(destination) is not private space: it breaks out to the internet, not through the tunnels")
        }
        guard let out = route(in: peer, to: destination) else {
            return Decision(.drop, "no Magic route of site \(other) covers \(destination): the edge has nowhere to send it")
        }
        guard let back = route(in: config, to: source) else {
            return Decision(.drop, "no Magic route of site \(site) covers \(source): the answer has no way back from the edge")
        }
        return Decision(.allow, "through site \(site)'s tunnels to the edge, route \(out) to site \(other), back by route \(back)")
    }

    /// The prefix of the site's Magic route to `address` through one of its tunnels, most specific first.
    static func route(in config: SiteConfig, to address: IPv4Address) -> String? {
        let customerSides = TunnelAddressing.customerSides(of: config.ipsecTunnels)
        return config.routes.compactMap { route -> IPv4CIDR? in
            guard let prefix = route.prefix?.value, prefix.contains(address),
                route.nexthop?.value.map(customerSides.contains) == true else { return nil }
            return prefix
        }.max { $0.prefixLength < $1.prefixLength }?.networkCIDR
    }
}
