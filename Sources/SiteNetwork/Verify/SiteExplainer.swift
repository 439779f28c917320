import ConnectorAPI

/// A kind of packet a verdict is about: ICMP echo, or TCP/UDP to a destination port.
public struct Probe: Sendable, Hashable, CustomStringConvertible, Codable {
    public enum Proto: String, Sendable, Hashable, Codable { case icmp, tcp, udp }
    public var proto: Proto
    /// The destination port (tcp and udp only).
    public var port: Int?

    public init(_ proto: Proto, port: Int? = nil) {
        self.proto = proto
        self.port = proto == .icmp ? nil : port
    }

    /// `icmp`, `tcp/22`, `udp/53`.
    public var description: String { port.map { "\(proto.rawValue)/\($0)" } ?? proto.rawValue }
}

/// What the site's config means for one packet, and the rule that decides it.
public struct Decision: Sendable, Equatable, Codable {
    public enum Verdict: String, Sendable, Codable { case allow, drop }
    public var verdict: Verdict
    /// The rule, named as the operator wrote it: `ACL 'office-to-lab-ssh'`, `LAN-to-LAN default drop`, ...
    public var rule: String
    /// For traffic leaving a WAN: the links it may leave by (several under ECMP), by their connector link name.
    public var egress: [String] = []
    /// For traffic leaving a WAN: the source address the far side sees (nil when it comes from DHCP).
    public var translatedSource: IPv4Address?

    enum CodingKeys: String, CodingKey {
        case verdict, rule, egress
        case translatedSource = "translated_source"
    }

    public init(_ verdict: Verdict, _ rule: String, egress: [String] = [], translatedSource: IPv4Address? = nil) {
        self.verdict = verdict
        self.rule = rule
        self.egress = egress
        self.translatedSource = translatedSource
    }
}

extension IPv4Address: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let address = IPv4Address(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an IPv4 address"))
        }
        self = address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Answers "what happens to this packet" from a site config alone, like a static analyzer, by the same rules
/// the ruleset and the routes are generated from: LAN-to-LAN traffic is dropped unless an ACL allows it (the
/// first one that matches decides; ports are the destination side's), traffic to anywhere else leaves by the
/// default route of the lowest-priority WAN(s), masqueraded to that WAN's address or mapped by a static NAT.
public struct SiteExplainer: Sendable {
    public let config: SiteConfig
    /// WANs (by link) whose default route the health monitor withdrew: traffic leaves by the others.
    public let downWANs: Set<String>

    public init(_ config: SiteConfig, downWANs: Set<String> = []) {
        self.config = config
        self.downWANs = downWANs
    }

    /// A LAN of the site, with its subnet and routed prefixes.
    struct LANView {
        let index: Int
        let lan: LAN
        let link: String
        let subnet: IPv4CIDR?
        let routed: [(prefix: IPv4CIDR, nat: IPv4CIDR?)]
        var label: String { lan.name ?? lan.id ?? link }

        func owns(_ address: IPv4Address) -> Bool {
            (subnet?.contains(address) ?? false) || routed.contains { $0.prefix.contains(address) }
        }
    }

    var lans: [LANView] {
        config.lans.enumerated().map { index, lan in
            LANView(
                index: index, lan: lan, link: SiteNames.link(of: lan),
                subnet: lan.staticAddressing?.address?.value.map { IPv4CIDR(address: $0.network, prefixLength: $0.prefixLength) },
                routed: (lan.routedSubnets ?? []).compactMap { routed in
                    routed.prefix?.value.map { ($0, routed.nat?.staticPrefix?.value) }
                })
        }
    }

    /// The LAN named `name` (its name, id or link), or the LAN whose subnet or routed subnets hold `name` as an address.
    func lan(_ name: String) -> LANView? {
        if let byName = lans.first(where: { $0.lan.name == name || $0.lan.id == name || $0.link == name }) { return byName }
        return IPv4Address(name).flatMap { address in lans.first { $0.owns(address) } }
    }

    /// A representative host address of a LAN (the first address after the connector's own), for questions by name.
    static func sampleHost(of view: LANView) -> IPv4Address? {
        guard let subnet = view.subnet else { return nil }
        let candidate = IPv4Address(value: subnet.network.value + 2)
        return subnet.contains(candidate) ? candidate : nil
    }

    /// The verdict for a packet from `source` (a LAN name or an address inside a LAN) to `destination` (a LAN
    /// name, an address, or `internet`).
    public func explain(from source: String, to destination: String, probe: Probe) throws(ExplainError) -> Decision {
        guard let from = lan(source) else { throw ExplainError("'\(TextRules.printable(source))' is no LAN of the site nor an address in one") }
        let fromAddress = IPv4Address(source) ?? Self.sampleHost(of: from)
        if let to = lan(destination) {
            let toAddress = IPv4Address(destination) ?? Self.sampleHost(of: to)
            return decide(from: from, fromAddress, to: to, toAddress, probe: probe)
        }
        guard destination == "internet" || IPv4Address(destination) != nil else {
            throw ExplainError("'\(TextRules.printable(destination))' is no LAN of the site, no address and not 'internet'")
        }
        return leaving(from: from, fromAddress, to: IPv4Address(destination))
    }

    /// LAN to LAN (or within one LAN).
    func decide(from: LANView, _ fromAddress: IPv4Address?, to: LANView, _ toAddress: IPv4Address?, probe: Probe) -> Decision {
        if from.index == to.index { return Decision(.allow, "same LAN: not forwarded by the connector") }
        for acl in config.acls {
            guard let one = side(acl.lan1), let two = side(acl.lan2) else { continue }
            let directions = acl.unidirectional == true ? [(one, two)] : [(one, two), (two, one)]
            for (a, b) in directions where a.view.index == from.index && b.view.index == to.index {
                if matches(acl, from: a, fromAddress, to: b, toAddress, probe: probe) {
                    let via = ViaEdge.applies(to: acl, in: config) ? " via the edge (forward_locally false: out through a tunnel and back)"
                        : acl.forwardLocally != true ? " (forward_locally false, but the site has no tunnel: forwarded locally)" : ""
                    return Decision(.allow, "ACL '\(TextRules.printable(acl.name ?? acl.id ?? "unnamed"))'\(via)")
                }
            }
        }
        return Decision(.drop, "LAN-to-LAN default drop (no ACL allows \(probe) from \(from.label) to \(to.label))")
    }

    /// A LAN to anywhere that is not a LAN of the site: out of the preferred WAN(s), or out of the WAN whose
    /// subnet holds the destination (a connected route beats the default route).
    func leaving(from: LANView, _ fromAddress: IPv4Address?, to destination: IPv4Address? = nil) -> Decision {
        let all = config.wans.map { (wan: $0, link: SiteNames.link(of: $0), priority: max(0, $0.priority ?? 0)) }
        // As the planner: a down WAN gives no default route, unless every WAN is down.
        let up = all.filter { !downWANs.contains($0.link) }
        let wans = up.isEmpty ? all : up
        guard let best = wans.map(\.priority).min() else {
            return Decision(.drop, "no WAN: the connector has no default route")
        }
        let connected = destination.flatMap { address in
            wans.first { $0.wan.staticAddressing?.address?.value?.contains(address) ?? false }
        }
        let preferred = connected.map { [$0] } ?? wans.filter { $0.priority == best }
        let egress = preferred.map(\.link)
        let names = preferred.map { $0.wan.name.map { "\($0)" } ?? $0.link }.joined(separator: ", ")
        if let fromAddress {
            if let subnet = from.subnet, subnet.contains(fromAddress), let nat = from.lan.nat?.staticPrefix?.value {
                let mapped = IPv4Address(value: nat.network.value | (fromAddress.value & ~nat.mask))
                return Decision(.allow, "static NAT \(subnet) -> \(nat.networkCIDR) out of \(names)", egress: egress, translatedSource: mapped)
            }
            for routed in from.routed where routed.prefix.contains(fromAddress) {
                guard let nat = routed.nat else { continue }
                let mapped = IPv4Address(value: nat.network.value | (fromAddress.value & ~nat.mask))
                return Decision(.allow, "static NAT \(routed.prefix.networkCIDR) -> \(nat.networkCIDR) out of \(names)", egress: egress, translatedSource: mapped)
            }
        }
        let source = preferred.count == 1 ? preferred[0].wan.staticAddressing?.address?.value?.address : nil
        return Decision(.allow, "masquerade out of \(names)", egress: egress, translatedSource: source)
    }

    private struct Side {
        let view: LANView
        let config: ACLConfiguration
    }

    private func side(_ side: ACLConfiguration?) -> Side? {
        guard let side else { return nil }
        // As the ruleset resolves a side: by id, else by name.
        let view = side.lanId.flatMap { id in lans.first { $0.lan.id == id } } ?? side.lanName.flatMap { name in lans.first { $0.lan.name == name } }
        return view.map { Side(view: $0, config: side) }
    }

    /// The ACL's accept rule from `a` to `b` matches: addresses in the sides' subnets (or LANs), the protocol
    /// allowed, the destination port among `b`'s ports (ports apply to tcp and udp; icmp only when named or
    /// when the ACL names neither protocols nor ports).
    private func matches(_ acl: ACL, from a: Side, _ fromAddress: IPv4Address?, to b: Side, _ toAddress: IPv4Address?, probe: Probe) -> Bool {
        func inside(_ address: IPv4Address?, _ side: Side) -> Bool {
            guard let given = side.config.subnets, !given.isEmpty else { return true }
            guard let address else { return false }
            return given.contains { $0.value?.cidr.contains(address) ?? false }
        }
        guard inside(fromAddress, a), inside(toAddress, b) else { return false }
        let protocols = acl.protocols ?? []
        let ports = (b.config.ports ?? []).map { $0...$0 } + (b.config.portRanges ?? []).compactMap { range -> ClosedRange<Int>? in
            let bounds = range.split(separator: "-").compactMap { Int($0) }
            return bounds.count == 2 && bounds[0] <= bounds[1] ? bounds[0]...bounds[1] : nil
        }
        switch probe.proto {
        case .icmp:
            return protocols.contains("icmp") || (protocols.isEmpty && ports.isEmpty)
        case .tcp, .udp:
            guard protocols.isEmpty || protocols.contains(probe.proto.rawValue) else { return false }
            guard !ports.isEmpty else { return true }
            return probe.port.map { port in ports.contains { $0.contains(port) } } ?? false
        }
    }
}

/// A question `explain` cannot answer (an unknown LAN or address).
public struct ExplainError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
