import ConnectorAPI
import Foundation
import SiteSamples
import Testing

@testable import SiteNetwork

/// The config's verdicts, against tables written by hand for the good fixtures: ACLs (unidirectional, ports, port
/// ranges, subnets, protocols), the LAN-to-LAN default drop, masquerade and static NAT out of the preferred WAN.
@Suite struct SiteExplainerTests {
    /// `(from, to, probe, verdict, a phrase of the rule)`
    typealias Row = (String, String, Probe, Decision.Verdict, String)

    static func check(_ config: SiteConfig, _ rows: [Row], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let explainer = SiteExplainer(config)
        for (from, to, probe, verdict, phrase) in rows {
            let decision = try explainer.explain(from: from, to: to, probe: probe)
            #expect(decision.verdict == verdict, "\(from) -> \(to) \(probe): \(decision.rule)", sourceLocation: sourceLocation)
            #expect(decision.rule.contains(phrase), "\(from) -> \(to) \(probe): '\(decision.rule)' should say '\(phrase)'", sourceLocation: sourceLocation)
        }
    }

    @Test func theEndToEndFixture() throws {
        let config = try SiteConfigFile.load(path: SiteSamples.path("good", "branch-2wan-2lan.json"))
        try Self.check(config, [
            ("office", "lab", Probe(.tcp, port: 22), .allow, "ACL 'office-to-lab-ssh'"),
            ("office", "lab", Probe(.tcp, port: 23), .drop, "LAN-to-LAN default drop"),
            ("office", "lab", Probe(.udp, port: 22), .drop, "LAN-to-LAN default drop"),
            ("office", "lab", Probe(.icmp), .drop, "LAN-to-LAN default drop"),
            ("lab", "office", Probe(.tcp, port: 22), .drop, "LAN-to-LAN default drop"),  // unidirectional
            ("office", "office", Probe(.tcp, port: 80), .allow, "same LAN"),
            ("office", "internet", Probe(.tcp, port: 443), .allow, "masquerade out of isp-a"),
            ("192.168.20.7", "8.8.8.8", Probe(.udp, port: 53), .allow, "masquerade out of isp-a"),
        ])
        let out = try SiteExplainer(config).explain(from: "office", to: "internet", probe: Probe(.icmp))
        #expect(out.egress == ["port1"] && out.translatedSource == IPv4Address("198.51.100.2"))
    }

    @Test func portRangesSubnetsProtocolsAndStaticNAT() throws {
        var config = SiteSamples.branch()
        config.lans[0].nat = NAT(staticPrefix: "10.10.0.0/24")
        config.acls = [
            ACL(lan1: ACLConfiguration(lanName: "office", subnets: ["192.168.10.0/25"]),
                lan2: ACLConfiguration(lanName: "lab", portRanges: ["8000-8100"], ports: [443]), name: "web", protocols: ["tcp"]),
            ACL(lan1: ACLConfiguration(lanName: "lab"), lan2: ACLConfiguration(lanName: "office"), name: "ping", protocols: ["icmp"], unidirectional: true),
            ACL(lan1: ACLConfiguration(lanName: "lab"), lan2: ACLConfiguration(lanName: "office", ports: [53]), name: "dns-any", unidirectional: true),
        ]
        try Self.check(config, [
            ("192.168.10.5", "lab", Probe(.tcp, port: 8050), .allow, "ACL 'web'"),
            ("192.168.10.5", "lab", Probe(.tcp, port: 443), .allow, "ACL 'web'"),
            ("192.168.10.200", "lab", Probe(.tcp, port: 443), .drop, "default drop"),  // outside the side's subnet
            ("192.168.10.5", "lab", Probe(.tcp, port: 8101), .drop, "default drop"),
            ("lab", "office", Probe(.tcp, port: 443), .allow, "ACL 'web'"),  // bidirectional: lab -> office's (no) ports
            ("lab", "office", Probe(.icmp), .allow, "ACL 'ping'"),
            ("office", "lab", Probe(.icmp), .drop, "default drop"),  // 'ping' is one way, 'web' is tcp only
            ("lab", "office", Probe(.udp, port: 53), .allow, "ACL 'dns-any'"),  // no protocols but ports: tcp and udp
            ("lab", "office", Probe(.udp, port: 54), .drop, "default drop"),
        ])
        let nat = try SiteExplainer(config).explain(from: "192.168.10.77", to: "internet", probe: Probe(.tcp, port: 80))
        #expect(nat.rule.hasPrefix("static NAT 192.168.10.0/24 -> 10.10.0.0/24"))
        #expect(nat.translatedSource == IPv4Address("10.10.0.77"))
    }

    @Test func routedSubnetsBelongToTheirLANAndMapThroughTheirOwnNAT() throws {
        var config = SiteSamples.branch()
        config.lans[0].routedSubnets?[0].nat = NAT(staticPrefix: "100.70.0.0/16")
        try Self.check(config, [
            ("10.20.3.4", "lab", Probe(.tcp, port: 22), .allow, "ACL 'office-to-lab'"),  // routed behind office
            ("10.20.3.4", "lab", Probe(.tcp, port: 23), .drop, "default drop"),
            ("lab", "10.20.3.4", Probe(.icmp), .drop, "default drop"),
        ])
        let out = try SiteExplainer(config).explain(from: "10.20.3.4", to: "internet", probe: Probe(.udp, port: 53))
        #expect(out.rule.hasPrefix("static NAT 10.20.0.0/16 -> 100.70.0.0/16"))
        #expect(out.translatedSource == IPv4Address("100.70.3.4"))
    }

    @Test func equalPrioritiesAreECMPAndAWANSubnetIsConnected() throws {
        var config = SiteSamples.branch()
        config.wans[1].priority = config.wans[0].priority
        let out = try SiteExplainer(config).explain(from: "office", to: "internet", probe: Probe(.icmp))
        #expect(out.egress.count == 2 && out.translatedSource == nil, "ECMP: either WAN")
        let gateway = try #require(config.wans[0].staticAddressing?.gatewayAddress?.text)
        config.wans[1].priority = 0
        config.wans[0].priority = 5
        let connected = try SiteExplainer(config).explain(from: "office", to: gateway, probe: Probe(.icmp))
        #expect(connected.egress == [SiteNames.link(of: config.wans[0])], "a connected route beats the default route")
    }

    @Test func unknownEndpointsAreClearErrors() {
        let explainer = SiteExplainer(SiteSamples.branch())
        #expect(throws: ExplainError.self) { try explainer.explain(from: "nowhere", to: "lab", probe: Probe(.icmp)) }
        #expect(throws: ExplainError.self) { try explainer.explain(from: "office", to: "not a place", probe: Probe(.icmp)) }
    }

    @Test func theMatrixCoversEveryOrderedPairAndTheInternet() {
        let config = SiteSamples.branch()
        let expectations = Expectations.of(config)
        let pairs = Set(expectations.map { "\($0.from)>\($0.to)" })
        #expect(pairs == ["office>lab", "lab>office", "office>internet", "lab>internet"])
        let probes = Set(expectations.filter { $0.to != "internet" }.map(\.probe))
        #expect(Expectations.defaultProbes.allSatisfy(probes.contains))
        for acl in config.acls {
            for port in acl.lan2?.ports ?? [] { #expect(probes.contains(Probe(.tcp, port: port)), "the ACL's port \(port) is probed") }
        }
    }

    @Test func reportsPrintAMatrixASummaryJSONAndJUnit() throws {
        let expectation = Expectations.of(SiteSamples.branch())[0]
        let report = VerifyReport(site: "s<&>", checks: [
            VerifyCheck(from: "office", to: "lab", probe: expectation.probe, expected: expectation.expected, seen: Seen(verdict: expectation.expected.verdict), passed: true),
            VerifyCheck(from: "lab", to: "office", probe: Probe(.tcp, port: 22), expected: Decision(.drop, "LAN-to-LAN default drop"),
                        seen: Seen(verdict: .allow), passed: false, problem: "expected drop (LAN-to-LAN default drop), seen allow"),
        ], dhcp: [])
        #expect(report.text.hasSuffix("\n1 passed, 1 failed\n"))
        #expect(report.text.contains("FAIL lab -> office tcp/22: expected drop (LAN-to-LAN default drop), seen allow"))
        #expect(report.junit.contains(#"<testsuite name="lab verify s&lt;&amp;&gt;" tests="2" failures="1">"#))
        let json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(report)) as? [String: Any]
        #expect(json?["passed"] as? Int == 1 && json?["failed"] as? Int == 1)
    }
}
