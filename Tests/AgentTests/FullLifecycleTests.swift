import Agent
import ConnectorAPI
import Foundation
import Testing

/// Every lifecycle event of the device, in order, against a real mock-api on loopback.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct FullLifecycleTests {
    @Test("Init, attestation, Reconcile, tunnel, key and PKI rotation, upgrade, Leave: in order, (t, n) increasing, v switching at the upgrade")
    func everyEventInOrder() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        _ = try await mock.createSite(connector: connector)
        var configuration = testConfiguration(mock: mock, connector: connector, stateDirectory: temporaryStateDirectory())
        configuration.attestation = true
        configuration.snapshotInterval = 0.25
        let agent = try Agent(configuration: configuration, logger: quietLogger, windowClock: { mondayUTC(hour: 3) })
        let running = launch(agent)
        func kinds() async throws -> [String] { try await mock.events(connector: connector).map(\.kind) }

        var expected = ["Init", "StartAttestation", "FinishAttestationSuccess", "Reconcile"]
        #expect(try await eventually { try await kinds() == expected })
        try await mock.call("PUT", "/connectors/\(connector)/cloudflared_tunnel", ["tunnel_id": UUID().uuidString, "token": "t0ken"])
        expected.append("ConfigureCloudflaredTunnel")
        #expect(try await eventually { try await kinds() == expected })
        agent.requestRotation(.cryptKey)
        expected += ["StartRotateCryptKey", "FinishRotateCryptKeySuccess"]
        #expect(try await eventually { try await kinds() == expected })
        agent.requestRotation(.pki)
        expected += ["StartRotatePki", "FinishRotatePkiSuccess"]
        #expect(try await eventually { try await kinds() == expected })
        let bundle = Data("bundle \(UUID())".utf8)
        _ = try await mock.offerUpgrade(connector: connector, version: "99.9.0", bytes: bundle)
        expected += ["StartUpgrade", "FinishUpgradeSuccess"]
        #expect(try await eventually { try await kinds() == expected })
        #expect(try await eventually { (try await mock.latestSnapshots(connector: connector, limit: 1).first?["v"] as? String) == "99.9.0" })
        agent.stop()
        await running.value
        expected.append("Leave")

        let events = try await mock.events(connector: connector)
        #expect(events.map(\.kind) == expected)
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.stamp < $1.stamp })
        let versions = try await mock.fullEvents(connector: connector).map { $0["v"] as? String ?? "" }
        let switched = try #require(expected.firstIndex(of: "FinishUpgradeSuccess"))
        #expect(versions.prefix(switched).allSatisfy { $0 == VConnectorVersion.current })
        #expect(versions.suffix(from: switched).allSatisfy { $0 == "99.9.0" })
        #expect(try agent.spooledCount() == 0)
        #expect(agent.statistics.delivered == agent.statistics.recorded)
    }
}
