import Agent
import ConnectorAPI
import Foundation
import SiteNetwork
import Testing
import TestSupport

let haAgentAvailable = siteApplyAvailable && FileManager.default.isExecutableFile(atPath: "/usr/sbin/keepalived")

/// Two agents, one per connector of an HA site, each with its own state directory: each finds the site through
/// its own check-in and applies only its node; their snapshots carry each node's `ha_state`, and a node taking
/// over records an event. Root only, torn down even on failure.
@Suite(.serialized, .timeLimit(.minutes(2)), .enabled(if: haAgentAvailable, "needs root, dnsmasq, busybox and keepalived"))
struct AgentHATests {
    @Test func eachAgentAppliesItsNodeAndReportsItsHAState() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let primary = try await mock.createConnector(), secondary = try await mock.createConnector()
        let site = try await mock.call("POST", "/sites", [
            "name": "ha-\(UUID().uuidString.prefix(8))", "connector_id": primary, "secondary_connector_id": secondary, "ha_mode": true,
        ])
        let siteID = (site as? [String: Any])?["id"] as? String ?? ""
        try await mock.call("POST", "/sites/\(siteID)/wans", ["physport": 1, "name": "wan1"])
        for (port, third, name, link) in [(2, 1, "users", false), (3, 2, "ha", true)] {
            var body = mock.lanBody(physport: port, third: third, name: name)
            var addressing = body["static_addressing"] as? [String: Any] ?? [:]
            addressing["secondary_address"] = "10.0.\(third).2/24"
            addressing["virtual_address"] = "10.0.\(third).3/24"
            if link { addressing["dhcp_server"] = nil }
            body["static_addressing"] = addressing
            body["ha_link"] = link
            try await mock.call("POST", "/sites/\(siteID)/lans", body)
        }
        let stateRoot = FileManager.default.temporaryDirectory.appendingPathComponent("vct-agent-ha-\(UUID().uuidString.prefix(8))").path
        let names = SiteNames(key: SiteNames.key(for: siteID), stateRoot: stateRoot)
        defer {
            _ = try? SiteReconciler(stateRoot: stateRoot).teardown(names)
            try? FileManager.default.removeItem(atPath: stateRoot)
        }
        var agents: [(Agent, Task<Void, Never>)] = []
        for connector in [primary, secondary] {
            var configuration = testConfiguration(mock: mock, connector: connector, stateDirectory: temporaryStateDirectory())
            configuration.snapshotInterval = 0.3
            configuration.siteApply = true
            configuration.siteStateRoot = stateRoot
            let agent = try Agent(configuration: configuration, logger: quietLogger)
            agents.append((agent, launch(agent)))
            // The primary first, so that it is the one elected.
            // Generous: applying a node (namespaces, dnsmasq, keepalived) is slow when the whole suite runs beside it.
            #expect(try await eventually(within: 60) { try await mock.events(connector: connector).map(\.kind) == ["Init", "Reconcile"] })
        }
        #expect(HANode.allCases.allSatisfy { FileManager.default.fileExists(atPath: "/run/netns/\(names.node($0).connector)") })

        func haState(_ connector: String) async throws -> String? {
            try await mock.latestSnapshots(connector: connector, limit: 1).first?["ha_state"] as? String
        }
        #expect(try await eventually {
            let states = (try await haState(primary), try await haState(secondary))
            return states.0 == "active" && states.1 == "standby"
        })

        // The primary's keepalived stops: the secondary takes over and its agent records it.
        Daemons.stop(pidFile: "\(names.node(.primary).stateDirectory)/keepalived.pid")
        #expect(try await eventually { try await haState(secondary) == "active" })
        #expect(try await eventually { try await mock.events(connector: secondary).map(\.kind) == ["Init", "Reconcile", "Reconcile"] })
        // The primary's agent starts its keepalived again at its next check-in: it comes back as standby.
        #expect(try await eventually { try await haState(primary) == "standby" })
        for (agent, running) in agents {
            agent.stop()
            await running.value
        }
    }
}
