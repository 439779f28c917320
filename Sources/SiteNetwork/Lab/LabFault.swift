import ConnectorAPI
import Foundation

/// A failure injected into a lab, the way it happens in the field: a WAN's upstream stops answering (its router
/// drops every packet, the link stays up, so the connector learns it only from its health probes), or one IPsec
/// tunnel's packets are lost on the way (the upstream drops that tunnel's ESP-in-UDP flow only); for an HA site,
/// one node dies (see `LabNodeFault.swift`) or the HA link between the two is cut.
public enum LabFault: Sendable, Equatable, CustomStringConvertible {
    case wanDown(String)
    case wanUp(String)
    case tunnelDown(String)
    case tunnelUp(String)
    case nodeDown(HANode)
    case nodeUp(HANode)
    case haLinkDown
    case haLinkUp

    /// `wan-down:NAME` / `tunnel-up:NAME` ... (as `--faults` takes them), or the two words of `lab fault`.
    public init(kind: String, target: String) throws(VerifyError) {
        switch kind {
        case "wan-down": self = .wanDown(target)
        case "wan-up": self = .wanUp(target)
        case "tunnel-down": self = .tunnelDown(target)
        case "tunnel-up": self = .tunnelUp(target)
        case "node-down", "node-up":
            guard let node = HANode(rawValue: target) else { throw VerifyError("\(kind) takes primary or secondary") }
            self = kind == "node-down" ? .nodeDown(node) : .nodeUp(node)
        case "ha-link-down": self = .haLinkDown
        case "ha-link-up": self = .haLinkUp
        default:
            throw VerifyError("'\(TextRules.printable(kind))' is not a fault (wan-down NAME, wan-up NAME, tunnel-down NAME, tunnel-up NAME, "
                + "node-down primary|secondary, node-up primary|secondary, ha-link-down, ha-link-up)")
        }
    }

    public var description: String {
        switch self {
        case .wanDown(let name): "wan-down \(TextRules.printable(name))"
        case .wanUp(let name): "wan-up \(TextRules.printable(name))"
        case .tunnelDown(let name): "tunnel-down \(TextRules.printable(name))"
        case .tunnelUp(let name): "tunnel-up \(TextRules.printable(name))"
        case .nodeDown(let node): "node-down \(node.rawValue)"
        case .nodeUp(let node): "node-up \(node.rawValue)"
        case .haLinkDown: "ha-link-down"
        case .haLinkUp: "ha-link-up"
        }
    }

    /// The tunnel a fault names (by name, id or link) and its index in the config.
    static func tunnel(_ target: String, in config: SiteConfig) throws(VerifyError) -> (index: Int, tunnel: IPsecTunnel) {
        guard let index = config.ipsecTunnels.indices.first(where: { index in
            let tunnel = config.ipsecTunnels[index]
            return tunnel.name == target || tunnel.id == target || SiteNames.tunnelLink(index) == target
        }) else {
            let known = config.ipsecTunnels.compactMap(\.name).joined(separator: ", ")
            throw VerifyError("no IPsec tunnel '\(TextRules.printable(target))' in this site (it has \(known.isEmpty ? "none" : known))")
        }
        return (index, config.ipsecTunnels[index])
    }

    /// The nft table that makes an upstream drop everything (the lab's, in the upstream namespace only).
    static let table = "vconnector_lab_fault"

    /// The WAN a fault names, by name, id or link.
    static func wan(_ target: String, in config: SiteConfig) throws(VerifyError) -> WAN {
        guard let wan = config.wans.first(where: { $0.name == target || $0.id == target || SiteNames.link(of: $0) == target }) else {
            let known = config.wans.map { $0.name ?? SiteNames.link(of: $0) }.joined(separator: ", ")
            throw VerifyError("no WAN '\(TextRules.printable(target))' in this site (it has \(known.isEmpty ? "none" : known))")
        }
        return wan
    }
}

extension Lab {
    /// Injects `fault` into the lab of `config` (which must be up).
    public func inject(_ fault: LabFault, _ config: SiteConfig) throws {
        let names = reconciler.names(for: config)
        let handles = NamespaceHandles()
        switch fault {
        case .nodeDown, .nodeUp, .haLinkDown, .haLinkUp:
            try injectHA(fault, config)
        case .wanDown(let target), .wanUp(let target):
            let wan = try LabFault.wan(target, in: config)
            let upstream = names.upstream(SiteNames.link(of: wan))
            guard let handle = try handles.handle(upstream) else {
                throw VerifyError("the lab of site \(names.key) has no upstream \(upstream); run `vconnector lab up FILE` first")
            }
            let table = LabFault.table
            if case .wanDown = fault {
                _ = try handle.nft { nft in
                    try nft.run("""
                        table ip \(table)
                        delete table ip \(table)
                        table ip \(table) {
                          chain input { type filter hook input priority -10; policy drop; }
                          chain forward { type filter hook forward priority -10; policy drop; }
                          chain output { type filter hook output priority -10; policy drop; }
                        }
                        """)
                }
            } else {
                _ = try handle.nft { nft in try nft.run("table ip \(table)\ndelete table ip \(table)") }
            }
        case .tunnelDown(let target), .tunnelUp(let target):
            let (index, tunnel) = try LabFault.tunnel(target, in: config)
            guard let wan = TunnelPlan.wan(of: tunnel, in: config), let address = wan.staticAddressing?.address?.value?.address,
                let handle = try handles.handle(names.upstream(SiteNames.link(of: wan)))
            else { throw VerifyError("the lab of site \(names.key) has no upstream for tunnel '\(TextRules.printable(target))'; run `vconnector lab up FILE` first") }
            // The tunnel's flow is the connector's NAT-T port of that tunnel on its WAN address, both ways.
            let table = "\(LabFault.table)_\(SiteNames.tunnelLink(index))"
            let port = TunnelPlan.firstLocalPort + index
            if case .tunnelDown = fault {
                _ = try handle.nft { nft in
                    try nft.run("""
                        table ip \(table)
                        delete table ip \(table)
                        table ip \(table) {
                          chain forward {
                            type filter hook forward priority -10; policy accept;
                            ip saddr \(address) udp sport \(port) drop
                            ip daddr \(address) udp dport \(port) drop
                          }
                        }
                        """)
                }
            } else {
                _ = try handle.nft { nft in try nft.run("table ip \(table)\ndelete table ip \(table)") }
            }
        }
    }
}
