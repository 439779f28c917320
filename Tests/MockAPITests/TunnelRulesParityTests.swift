import ConnectorAPI
import Foundation
import SiteNetwork
import SiteRules
import Testing

/// The tunnel rules (endpoints, interface addresses, health check, MTU, TTL, BGP) are written once, in
/// `SiteRules`: an IPsec tunnel posted to mock-api is refused with exactly the problems `site validate` reports for
/// it in a site document, and a GRE tunnel with every problem `SiteRulebook` finds in it, each at its pointer.
@Suite("Tunnel rules parity")
struct TunnelRulesParityTests {
    /// `pointer` and `message` of each item of a failure's `errors`.
    private static func items(_ response: RouterResponse) -> [(pointer: String, message: String)] {
        let envelope = try? JSONDecoder().decode(Envelope<String>.self, from: Data(buffer: response.body))
        return (envelope?.errors ?? []).map { ($0.source?.pointer ?? "", $0.message) }
    }

    @Test func theMockRefusesTheIPsecTunnelsSiteValidateReports() async throws {
        let url = fixtureURL("x").deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sites/bad/tunnel-mistakes.json")
        let data = try Data(contentsOf: url)
        let config = try JSONDecoder().decode(SiteConfig.self, from: data)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let bodies = try #require(document["ipsec_tunnels"] as? [[String: Any]])
        let reported = SiteValidator.validate(config)
        // Which WAN a tunnel leaves by is a rule of the site document only: the mock's tunnels are the account's.
        let cases = try bodies.enumerated().map { index, body in
            let prefix = "/ipsec_tunnels/\(index)"
            let expected = reported.filter { $0.pointer.hasPrefix(prefix + "/") && $0.code != .unknownReference }
            return (prefix: prefix, raw: try JSONSerialization.data(withJSONObject: body), expected: expected)
        }
        try await withRouter { client in
            for (prefix, raw, expected) in cases {
                let response = try await client.send(
                    .post, "/accounts/\(TestServer.account)/magic/ipsec_tunnels", raw: raw)
                let answered = Self.items(response)
                #expect(response.status == .unprocessableContent, "\(prefix): \(String(buffer: response.body))")
                #expect(
                    answered.map(\.pointer) == expected.map { String($0.pointer.dropFirst(prefix.count)) },
                    "\(prefix): \(String(buffer: response.body))")
                #expect(
                    zip(answered, expected).allSatisfy { $0.0.message.hasSuffix(": " + $0.1.message) },
                    "\(prefix): \(String(buffer: response.body))")
            }
        }
        let compared = cases.map(\.expected.count).reduce(0, +)
        #expect(compared >= 12, "the fixture exercises the tunnel rules")
        for rule in [
            "/bgp/customer_asn", "/bgp/md5_key", "/bgp/extra_prefixes/1", "/interface_address6", "/health_check/rate",
        ] {
            #expect(reported.contains { $0.pointer.hasSuffix(rule) }, "site validate checks \(rule)")
        }
    }

    @Test func aGRETunnelGetsEveryProblemAtOnce() async throws {
        let body: [String: Any] = [
            "name": "a name with spaces", "cloudflare_gre_endpoint": "0.0.0.0",
            "customer_gre_endpoint": "203.0.113.9\n",
            "interface_address": "10.212.0.9/31", "interface_address6": "2001:db8::/126", "mtu": 575, "ttl": 0,
            "bgp": ["customer_asn": 4_294_967_296, "extra_prefixes": ["$(reboot)"], "md5_key": "\"quoted\""],
        ]
        let tunnel = try JSONDecoder().decode(GRETunnel.self, from: try JSONSerialization.data(withJSONObject: body))
        let expected = SiteRulebook.problems(of: tunnel)
        #expect(
            Set(expected.map(\.pointer)) == [
                "/name", "/cloudflare_gre_endpoint", "/customer_gre_endpoint", "/interface_address6", "/mtu", "/ttl",
                "/bgp/customer_asn", "/bgp/extra_prefixes/0", "/bgp/md5_key",
            ], "\(expected)")
        let raw = try JSONSerialization.data(withJSONObject: body)
        try await withRouter { client in
            let response = try await client.send(.post, "/accounts/\(TestServer.account)/magic/gre_tunnels", raw: raw)
            #expect(response.status == .unprocessableContent, "\(String(buffer: response.body))")
            let answered = Self.items(response)
            #expect(answered.map(\.pointer) == expected.map(\.pointer), "\(String(buffer: response.body))")
            #expect(answered.map(\.message) == expected.map(\.description), "\(String(buffer: response.body))")
        }
    }
}
