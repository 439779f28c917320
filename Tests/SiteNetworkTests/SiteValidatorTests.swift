import ConnectorAPI
import SiteNetwork
import SiteRules
import SiteSamples
import Testing

// The rules themselves are tested once, in SiteRulesTests; here what SiteNetwork adds: the throwing form and what
// this connector can run.

@Suite struct SiteValidatorTests {
    @Test func checkThrowsEveryProblem() throws {
        var config = SiteSamples.branch()
        config.site.name = nil
        config.wans[0].vlanTag = 5000
        let error = #expect(throws: SiteValidationError.self) { try SiteValidator.check(config) }
        #expect(error?.problems.map(\.path) == ["site.name", "wans[0].vlan_tag"])
        #expect(error?.description.hasPrefix("the site config is invalid (2 problems):\n  site.name: required") == true)
        try SiteValidator.check(SiteSamples.branch())
    }

    @Test func aTunnelWithoutAKeyOrWithAnIdentityStrongSwanRefusesCannotRunHere() {
        var config = SiteSamples.branch()
        config.ipsecTunnels = [
            IPsecTunnel(cloudflareEndpoint: "162.159.66.1", interfaceAddress: "10.200.1.0/31", name: "t1", customerEndpoint: "198.51.100.2")
        ]
        config.ipsecTunnels[0].customRemoteIdentities = CustomRemoteIdentities(fqdnId: "bad name;x")
        #expect(SiteRulebook.problems(in: config).isEmpty)
        let problems = SiteValidator.validate(config)
        #expect(problems.map { "\($0.code.rawValue) \($0.path)" } == [
            "required ipsec_tunnels[0].psk", "bad_format ipsec_tunnels[0].custom_remote_identities.fqdn_id",
        ])
    }
}
