import Agent
import ConnectorAPI
import Foundation
import Netlink
import SiteNetwork
import Testing
import TestSupport

/// Root with the tools site apply runs.
let siteApplyAvailable = TestNamespace.isAvailable
    && ["/usr/sbin/dnsmasq", "/usr/bin/busybox", "/bin/busybox"].contains { FileManager.default.isExecutableFile(atPath: $0) }

/// The agent applies the site config it fetches to real namespaces; root only, torn down even on failure.
@Suite(.serialized, .timeLimit(.minutes(2)), .enabled(if: siteApplyAvailable, "needs root, dnsmasq and busybox"))
struct AgentSiteApplyTests {
    @Test("the fetched site is applied; an invalid change is refused and the applied site kept; a valid one applied; the snapshots carry delta, epsilon, leases and the connector namespace's interfaces")
    func appliesTheFetchedSite() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        let siteID = try await mock.createSite(connector: connector)
        let stateRoot = FileManager.default.temporaryDirectory.appendingPathComponent("vct-agent-site-\(UUID().uuidString.prefix(8))").path
        let names = SiteNames(key: SiteNames.key(for: siteID), stateRoot: stateRoot)
        defer {
            _ = try? SiteReconciler(stateRoot: stateRoot).teardown(names)
            try? FileManager.default.removeItem(atPath: stateRoot)
        }
        var configuration = testConfiguration(mock: mock, connector: connector, stateDirectory: temporaryStateDirectory())
        configuration.snapshotInterval = 0.3
        configuration.siteApply = true
        configuration.siteStateRoot = stateRoot
        // The real collector: once the site is applied, snapshots report its connector namespace.
        let agent = try Agent(configuration: configuration, logger: quietLogger)
        let running = launch(agent)

        #expect(try await eventually { try await mock.events(connector: connector).map(\.kind) == ["Init", "Reconcile"] })
        #expect(try connectorLinks(names).isSuperset(of: ["port1", "port2"]))
        #expect(FileManager.default.fileExists(atPath: "\(names.stateDirectory)/dnsmasq-port2.pid"))

        // A LAN overlapping lan1: the mock takes it (it checks one LAN at a time), the device refuses the site.
        try await mock.call("POST", "/sites/\(siteID)/lans", mock.lanBody(physport: 3, third: 1, name: "overlap"))
        try await Task.sleep(for: .seconds(1))
        #expect(try await mock.events(connector: connector).map(\.kind) == ["Init", "Reconcile"])
        #expect(try !connectorLinks(names).contains("port3"), "nothing of the refused config was applied")

        // Fixed: the overlap removed and another LAN added, the whole config is applied.
        let lans = try await mock.call("GET", "/sites/\(siteID)/lans") as? [[String: Any]] ?? []
        let overlap = try #require(lans.first { $0["name"] as? String == "overlap" }?["id"] as? String)
        try await mock.call("DELETE", "/sites/\(siteID)/lans/\(overlap)")
        try await mock.call("POST", "/sites/\(siteID)/lans", mock.lanBody(physport: 4, third: 4, name: "lan4"))
        #expect(try await eventually { try await mock.events(connector: connector).map(\.kind) == ["Init", "Reconcile", "Reconcile"] })
        #expect(try connectorLinks(names).contains("port4"))

        // Snapshots recorded after an apply carry the site's view.
        #expect(try await eventually {
            let latest = try await mock.latestSnapshots(connector: connector, limit: 1).first
            return latest?["delta"] as? Int != nil && latest?["epsilon"] as? Int != nil && latest?["dhcp_leases"] != nil
        })
        var interfaces: Set<String> = []
        #expect(try await eventually {
            let latest = try await mock.latestSnapshots(connector: connector, limit: 1).first
            interfaces = Set((latest?["interfaces"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
            return interfaces.isSuperset(of: ["port1", "port2", "port4"])
        }, "the connector namespace's interfaces, got \(interfaces)")
        agent.stop()
        await running.value
    }

    @Test("a graceful stop keeps the applied site (a restart must not drop the LAN); with teardownOnExit it is torn down")
    func siteAtExit() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        let siteID = try await mock.createSite(connector: connector)
        let stateRoot = FileManager.default.temporaryDirectory.appendingPathComponent("vct-agent-exit-\(UUID().uuidString.prefix(8))").path
        let names = SiteNames(key: SiteNames.key(for: siteID), stateRoot: stateRoot)
        defer {
            _ = try? SiteReconciler(stateRoot: stateRoot).teardown(names)
            try? FileManager.default.removeItem(atPath: stateRoot)
        }
        var configuration = testConfiguration(mock: mock, connector: connector, stateDirectory: temporaryStateDirectory())
        configuration.siteApply = true
        configuration.siteStateRoot = stateRoot
        let namespace = "/run/netns/\(names.connector)"

        let keeping = try Agent(configuration: configuration, logger: quietLogger)
        var running = launch(keeping)
        #expect(try await eventually { try await mock.events(connector: connector).map(\.kind).contains("Reconcile") })
        keeping.stop()
        await running.value
        #expect(FileManager.default.fileExists(atPath: namespace), "kept by default")
        #expect(FileManager.default.fileExists(atPath: "\(names.stateDirectory)/dnsmasq-port2.pid"), "its DHCP server too")

        configuration.teardownOnExit = true
        let removing = try Agent(configuration: configuration, logger: quietLogger)
        running = launch(removing)
        // Its first check-in adopts the applied site (and records Reconcile).
        #expect(try await eventually { try await mock.events(connector: connector).map(\.kind).filter { $0 == "Reconcile" }.count == 2 })
        removing.stop()
        await running.value
        #expect(!FileManager.default.fileExists(atPath: namespace), "torn down at exit")
        #expect(try await mock.events(connector: connector).map(\.kind).last == "Leave")
    }

    private func connectorLinks(_ names: SiteNames) throws -> Set<String> {
        let thread = try NamespaceThread(namespace: names.connector)
        defer { thread.stop() }
        return Set(try thread.run { try RouteSocket().links() }.map(\.name))
    }
}
