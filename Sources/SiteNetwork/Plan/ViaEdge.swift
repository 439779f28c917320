import ConnectorAPI
import Netlink

/// LAN-to-LAN traffic of an ACL with `forward_locally: false` ("forward to Cloudflare", the API's default) goes
/// through the site's tunnels to the edge and back, when the site has tunnels; with `true`, or on a site without
/// tunnels, it is forwarded on the connector. The edge routes it back by the site's Magic routes, so a site that
/// sends LAN-to-LAN traffic via the edge needs routes for its LANs' prefixes (`lab verify` shows when one is missing).
///
/// On the connector: a rule per direction, "iif <LAN> from <its subnet> to <the other's> lookup `table`", whose
/// table holds the tunnels' default route (by WAN priority and health, like the route into the tunnels). The nft
/// ruleset applies the ACL on the way out (LAN to tunnel) and lets the traffic in again from the tunnels.
enum ViaEdge {
    static let table: UInt32 = 199
    static let firstRulePriority: UInt32 = 900

    /// One direction between two LANs that goes via the edge.
    struct Leg: Hashable {
        let fromLink: String
        let fromSubnet: String
        let toLink: String
        let toSubnet: String
    }

    /// True when `acl`'s traffic goes via the edge in `config`.
    static func applies(to acl: ACL, in config: SiteConfig) -> Bool {
        !config.ipsecTunnels.isEmpty && acl.forwardLocally != true
    }

    /// Both directions of every via-edge ACL between LANs with static subnets, without repeats, in ACL order.
    static func legs(_ config: SiteConfig) -> [Leg] {
        var legs: [Leg] = []
        for acl in config.acls where applies(to: acl, in: config) {
            guard let one = lan(acl.lan1, config), let two = lan(acl.lan2, config) else { continue }
            for leg in [Leg(fromLink: one.link, fromSubnet: one.subnet, toLink: two.link, toSubnet: two.subnet),
                        Leg(fromLink: two.link, fromSubnet: two.subnet, toLink: one.link, toSubnet: one.subnet)] where !legs.contains(leg) {
                legs.append(leg)
            }
        }
        return legs
    }

    /// The rules sending each leg to `table`.
    static func rules(_ config: SiteConfig) -> [RoutingRule] {
        legs(config).enumerated().map { index, leg in
            RoutingRule(priority: firstRulePriority + UInt32(index), source: leg.fromSubnet, destination: leg.toSubnet,
                        inputInterface: leg.fromLink, table: table)
        }
    }

    /// A LAN an ACL side names (by id or name), with its link and subnet; nil without a static subnet.
    static func lan(_ side: ACLConfiguration?, _ config: SiteConfig) -> (link: String, subnet: String)? {
        guard let side, let lan = config.lans.first(where: { lan in
            (side.lanId != nil && lan.id == side.lanId) || (side.lanId == nil && side.lanName != nil && lan.name == side.lanName)
        }), let subnet = lan.staticAddressing?.address?.value?.networkCIDR else { return nil }
        return (SiteNames.link(of: lan), subnet)
    }
}
