@testable import Agent
import ConnectorAPI
import Foundation
import Testing
import TestSupport

/// The agent learns its site's IPsec tunnels and routes from the API (a real mock-api on loopback): the tunnel
/// whose customer endpoint is the site's WAN, the routes to it, and a PSK it provisions once and keeps 0600.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct AgentTunnelTests {
    @Test("the site's tunnels and routes join its config; the PSK is generated once, kept 0600 and reused after a restart")
    func tunnelsAndRoutesOfTheSite() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        let site = try await mock.createSite(connector: connector)
        try await mock.call("POST", "/sites/\(site)/wans", [
            "physport": 3, "name": "fibre", "static_addressing": ["address": "198.51.100.2/24", "gateway_address": "198.51.100.1"],
        ])
        // Ours (customer endpoint = the fibre WAN), and another site's (elsewhere).
        let ours = try await mock.call("POST", "/ipsec_tunnels", [
            "name": "fibre-t0", "cloudflare_endpoint": "162.159.64.1", "customer_endpoint": "198.51.100.2", "interface_address": "10.200.7.0/31",
        ]) as? [String: Any]
        try await mock.call("POST", "/ipsec_tunnels", [
            "name": "elsewhere", "cloudflare_endpoint": "162.159.64.1", "customer_endpoint": "192.0.2.9", "interface_address": "10.200.8.0/31",
        ])
        try await mock.call("POST", "/routes", ["prefix": "10.0.1.0/24", "nexthop": "10.200.7.1", "priority": 100])
        try await mock.call("POST", "/routes", ["prefix": "10.9.0.0/24", "nexthop": "10.200.8.1", "priority": 100])
        let tunnelID = try #require(ours?["id"] as? String)

        let stateDirectory = temporaryStateDirectory()
        let configuration = testConfiguration(mock: mock, connector: connector, stateDirectory: stateDirectory)
        var agent = try Agent(configuration: configuration, logger: quietLogger)
        var running = launch(agent)
        #expect(await eventually { agent.reconciledConfig?.ipsecTunnels.isEmpty == false })
        agent.stop()
        await running.value
        let config = try #require(agent.reconciledConfig)
        #expect(config.ipsecTunnels.map(\.id) == [tunnelID])
        #expect(config.routes.map(\.prefix) == ["10.0.1.0/24"])
        let psk = try #require(config.ipsecTunnels.first?.psk)
        #expect(psk.count >= 8)
        let secrets = "\(stateDirectory)/tunnel-psks.json"
        let mode = try FileManager.default.attributesOfItem(atPath: secrets)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // A restart reuses the key: the API still says it was generated when the agent generated it.
        agent = try Agent(configuration: configuration, logger: quietLogger)
        running = launch(agent)
        #expect(await eventually { agent.reconciledConfig?.ipsecTunnels.isEmpty == false })
        agent.stop()
        await running.value
        #expect(agent.reconciledConfig?.ipsecTunnels.first?.psk == psk)
        await mock.stop()
    }

    /// A tunnel id from the API becomes a path segment (`psk_generate`) and a key of the secrets file: a hostile one
    /// (`..`, `/`, `?`, newlines, quotes, `$()`...) never makes the tunnel the site's, whatever its endpoint.
    @Test("a tunnel whose id is not an id is never the site's", arguments: HostileStrings.corpus.map(\.value) + ["../connectors/x", "t?x=1", "a/b"])
    func hostileTunnelIDsAreNotUsed(_ id: String) throws {
        let wan = try #require(IPv4Address("198.51.100.2"))
        var tunnel = IPsecTunnel(id: "t0", cloudflareEndpoint: "162.159.64.1", interfaceAddress: "10.200.7.0/31", name: "t0", customerEndpoint: "198.51.100.2")
        #expect(SiteTunnels.isSites(tunnel, wanAddresses: [wan]))
        tunnel.id = id
        #expect(!SiteTunnels.isSites(tunnel, wanAddresses: [wan]))
    }
}
