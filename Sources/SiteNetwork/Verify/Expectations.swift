import ConnectorAPI

/// One question of the verdict matrix: a packet from a LAN to a LAN (or the internet), and what the config says.
public struct Expectation: Sendable, Codable, Equatable {
    /// The source LAN's name (or id, or link).
    public var from: String
    /// The destination LAN's name, or `internet`.
    public var to: String
    public var probe: Probe
    public var expected: Decision
}

/// Every question `lab verify` asks, from the config alone: each ordered pair of LANs and each LAN to the
/// internet, for ICMP, the ports the ACLs name and a default set (tcp/22, tcp/80, udp/53).
public enum Expectations {
    /// Ports every pair is probed on besides those the ACLs name.
    public static let defaultProbes = [Probe(.icmp), Probe(.tcp, port: 22), Probe(.tcp, port: 80), Probe(.udp, port: 53)]
    /// What is sent to the internet from each LAN.
    public static let internetProbes = [Probe(.icmp), Probe(.tcp, port: 80), Probe(.udp, port: 53)]

    /// The questions and their answers; `hosts` gives the address that stands for a LAN (by its link, e.g. a
    /// lab host's lease), else the LAN's first host address is assumed (ACL subnets may tell them apart).
    public static func of(_ config: SiteConfig, hosts: [String: IPv4Address] = [:], downWANs: Set<String> = []) -> [Expectation] {
        let explainer = SiteExplainer(config, downWANs: downWANs)
        let lans = explainer.lans
        var probes = Set(defaultProbes)
        for acl in config.acls {
            let protocols = acl.protocols ?? []
            let transports: [Probe.Proto] = protocols.isEmpty ? [.tcp, .udp] : protocols.compactMap(Probe.Proto.init(rawValue:)).filter { $0 != .icmp }
            for side in [acl.lan1, acl.lan2].compactMap({ $0 }) {
                let ports = (side.ports ?? []) + (side.portRanges ?? []).compactMap { Int($0.split(separator: "-").first ?? "") }
                for port in ports where (1...65535).contains(port) {
                    for proto in transports { probes.insert(Probe(proto, port: port)) }
                }
            }
        }
        let ordered = probes.sorted { ($0.proto.rawValue, $0.port ?? 0) < ($1.proto.rawValue, $1.port ?? 0) }
        var result: [Expectation] = []
        func address(_ view: SiteExplainer.LANView) -> IPv4Address? { hosts[view.link] ?? SiteExplainer.sampleHost(of: view) }
        for from in lans {
            let fromAddress = address(from)
            for to in lans where to.index != from.index {
                for probe in ordered {
                    let decision = explainer.decide(from: from, fromAddress, to: to, address(to), probe: probe)
                    result.append(Expectation(from: from.label, to: to.label, probe: probe, expected: decision))
                }
            }
            for probe in internetProbes {
                result.append(Expectation(from: from.label, to: "internet", probe: probe, expected: explainer.leaving(from: from, fromAddress)))
            }
        }
        return result
    }
}
