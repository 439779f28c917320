import ConnectorAPI
import Foundation

/// A failure injected into a lab, the way it happens in the field: a WAN's upstream stops answering (its router
/// drops every packet, the link stays up, so the connector learns it only from its health probes).
public enum LabFault: Sendable, Equatable, CustomStringConvertible {
    case wanDown(String)
    case wanUp(String)

    /// `wan-down:NAME` / `wan-up:NAME` (as `--faults` takes them), or the two words of `lab fault`.
    public init(kind: String, target: String) throws(VerifyError) {
        switch kind {
        case "wan-down": self = .wanDown(target)
        case "wan-up": self = .wanUp(target)
        default: throw VerifyError("'\(TextRules.printable(kind))' is not a fault (wan-down NAME, wan-up NAME)")
        }
    }

    public var description: String {
        switch self {
        case .wanDown(let name): "wan-down \(TextRules.printable(name))"
        case .wanUp(let name): "wan-up \(TextRules.printable(name))"
        }
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
        }
    }
}
