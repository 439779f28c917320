/// The two ends of a tunnel's `interface_address`. As Cloudflare documents it, the address given is the
/// Cloudflare side's and the other host of the /31 (or of the /30's two hosts) is the customer side's:
/// `10.200.1.0/31` puts Cloudflare on .0 and the connector on .1, the nexthop of the routes to the site.
public struct TunnelAddressing: Sendable, Equatable {
    public let cloudflare: IPv4Address
    public let customer: IPv4Address
    public let prefixLength: Int

    /// nil unless `cidr` is a /31, or a /30 whose given address is one of its two hosts.
    public init?(_ cidr: IPv4CIDR) {
        switch cidr.prefixLength {
        case 31:
            customer = IPv4Address(value: cidr.address.value ^ 1)
        case 30:
            let host = cidr.address.value - cidr.network.value
            guard host == 1 || host == 2 else { return nil }
            customer = IPv4Address(value: cidr.network.value + (host == 1 ? 2 : 1))
        default:
            return nil
        }
        cloudflare = cidr.address
        prefixLength = cidr.prefixLength
    }

    /// nil unless `field` holds a usable interface address.
    public init?(_ field: CIDRField?) {
        guard let cidr = field?.value else { return nil }
        self.init(cidr)
    }

    /// The customer sides of `tunnels`' interface addresses: the nexthops Magic routes to them use.
    public static func customerSides(of tunnels: [IPsecTunnel]) -> Set<IPv4Address> {
        Set(tunnels.compactMap { TunnelAddressing($0.interfaceAddress)?.customer })
    }

    /// The connector's address on its tunnel link, e.g. `10.200.1.1/31`.
    public var customerCIDR: String { "\(customer)/\(prefixLength)" }
    /// The edge's address on its tunnel link, e.g. `10.200.1.0/31`.
    public var cloudflareCIDR: String { "\(cloudflare)/\(prefixLength)" }
}
