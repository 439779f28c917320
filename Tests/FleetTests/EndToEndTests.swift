import Agent
import Benchmarks
import ConnectorAPI
import Fleet
import Foundation
import Logging
import Testing

/// The fleet against a real mock-api on loopback, started in-process (`InProcessMockAPI`, as the benchmarks do).
@Suite struct EndToEndTests {
    static let account = "acc00000000000000000000000000f1e"
    static let token = "fleet-test-write-token"

    /// The size for the lifecycle test: 100 connectors, each created, attested, checked in, recording.
    static let count = 100

    @Test func aHundredConnectorsAreCreatedAttestedAndTheirRecordsReachTheAPI() async throws {
        try await withMock { base, api in try await exercise(base: base, api: api) }
    }

    /// Runs `body` against a fresh in-process mock-api and the fleet's client of it; the mock stops either way.
    func withMock(_ body: (URL, FleetAPI) async throws -> Void) async throws {
        let mock = try await InProcessMockAPI.start(
            account: Self.account, token: Self.token, logger: Logger(label: "test.fleet.mock-api"))
        // A generous timeout: the mock runs in this process, whose two cooperative threads the rest of the suite shares.
        let api = FleetAPI(base: mock.base, accountID: Self.account, token: Self.token, concurrency: 8, requestTimeout: 90)
        do {
            try await body(mock.base, api)
        } catch {
            await mock.stop()
            throw error
        }
        await mock.stop()
    }

    func exercise(base: URL, api: FleetAPI) async throws {
        let ids = try await api.connectors(count: Self.count, seed: 5)
        #expect(Set(ids).count == Self.count)
        // A rerun finds the same connectors by their device ids instead of creating more.
        #expect(try await api.connectors(count: Self.count, seed: 5) == ids)
        let attested = await api.attest(ids)
        #expect(attested.allSatisfy { $0 })
        #expect(await api.checkIn(ids) == 0)

        // Five simulated minutes that ended a minute ago, caught up at full speed.
        let now = Date().timeIntervalSince1970
        let plan = FleetPlan(
            connectors: Self.count, seed: 5, interval: 30, start: now - 360, end: now - 60,
            profiles: try FleetFixtures.profiles(), version: "1.0.0"
        )
        let sink = APISink(api: api, batchSize: 50, eager: false)
        let summary = try await Fleet(plan: plan, ids: ids, attested: attested, sinks: [sink]).run()
        // Ten snapshots each (5 minutes at 30 s) and four events (Init, attestation start and success, Leave).
        #expect(summary.snapshots == 10 * Self.count && summary.events == 4 * Self.count)
        #expect(
            sink.tally.acknowledgedRecords == 14 * Self.count && sink.tally.retries == 0 && sink.tally.rejectedRecords == 0)

        for id in ids {
            let client = APIClient(base: base, accountID: Self.account, connectorID: id, token: Self.token)
            let telemetry = "/accounts/\(Self.account)/magic/connectors/\(id)/telemetry"
            let events = try await client.get(LatestItems<RecordedEvent>.self, telemetry + "/events/latest?limit=10")
            #expect(
                events.items.map(\.e).sorted { $0.kind.rawValue < $1.kind.rawValue } == [
                    .finishAttestationSuccess, .`init`, .leave, .startAttestation,
                ])
            let listed = try await client.get(
                TelemetryList.self, telemetry + "/snapshots?from=\(Int(plan.start))&to=\(Int(now))&limit=100"
            )
            #expect(listed.count == 10)
            let latest = try await client.get(LatestItems<Snapshot>.self, telemetry + "/snapshots/latest")
            #expect(latest.items.first?.v == "1.0.0" && latest.items.first?.cpuCount != nil)
            let connector = try await client.get(Connector.self, "/accounts/\(Self.account)/magic/connectors/\(id)")
            #expect(connector.activated && connector.lastHeartbeat != nil)
        }
    }

    @Test func fleetCheckReadsTheAccountBackFromTheAPIAndFindsWhatWasBroken() async throws {
        try await withMock { base, api in
            let ids = try await api.connectors(count: 3, seed: 9)
            let now = Date().timeIntervalSince1970
            let scenario = Scenario(incidents: [Incident(kind: .tunnelUnhealthy, at: 120, duration: 300, connectors: [1])])
            let plan = FleetPlan(
                connectors: 3, seed: 9, interval: 20, start: now - 900, end: now - 60, scenario: scenario,
                profiles: try FleetFixtures.profiles(), version: "1.0.0")
            let summary = try await Fleet(plan: plan, ids: ids, sinks: [APISink(api: api, batchSize: 50, eager: false)]).run()

            let report = try await FleetChecker.check(api: api)
            #expect(report.connectors == 3 && report.snapshots == summary.snapshots && report.events == summary.events)
            #expect(report.violations.isEmpty, "\(report.violations.prefix(5))")

            // A snapshot whose counter went back, sent as the connector: the check names it.
            var broken = try #require(try await api.records(of: ids[2], from: 0, to: now).snapshots.last)
            broken.t = now - 30
            broken.kernelCtxt = 1
            let client = APIClient(base: base, accountID: Self.account, connectorID: ids[2], token: Self.token)
            _ = try await client.call("POST", client.connectorPath + "/telemetry/snapshots", body: [broken], as: IngestResult.self)
            let again = try await FleetChecker.check(api: api, connectors: [ids[2]])
            #expect(again.violations.contains { $0.connector == ids[2] && $0.field == "kernel_ctxt" })
        }
    }

    @Test func aConnectorWhoseSiteChangesRecordsReconcileAtItsNextSnapshot() async throws {
        try await withMock { base, api in
            let ids = try await api.connectors(count: 3, seed: 11)
            let admin = APIClient(base: base, accountID: Self.account, connectorID: ids[0], token: Self.token)
            let sites = admin.accountPath + "/sites"
            let site = try await admin.call(
                "POST", sites, body: Site(connectorId: ids[0], name: "fleet-site"), as: Site.self)
            let sitePath = sites + "/" + (try #require(site.id))
            let wan = Port(physport: 1, static_addressing: .init(address: "192.0.2.2/24", gateway_address: "192.0.2.1"))
            _ = try await admin.call("POST", sitePath + "/wans", body: wan, as: Ignored.self)
            func lan(_ third: Int, port: Int) -> Port {
                Port(physport: port, static_addressing: .init(address: "10.9.\(third).1/24", gateway_address: nil))
            }
            _ = try await admin.call("POST", sitePath + "/lans", body: lan(1, port: 2), as: Ignored.self)

            // Four seconds in real time, a snapshot every 250 ms, check-ins every 500 ms; a LAN added after one second.
            let now = Date().timeIntervalSince1970
            let plan = FleetPlan(
                connectors: 3, seed: 11, interval: 0.25, start: now, end: now + 4, profiles: try FleetFixtures.profiles(),
                version: "1.0.0")
            let watch = SiteWatch(api: api)
            let sink = RecordingSink()
            let fleet = try Fleet(plan: plan, ids: ids, sinks: [sink], checkinInterval: 0.5) { await watch.changed(ids) }
            let change = Task {
                try await Task.sleep(for: .seconds(1))
                _ = try await admin.call("POST", sitePath + "/lans", body: lan(2, port: 3), as: Ignored.self)
            }
            _ = try await fleet.run()
            try await change.value

            let reconciles = try sink.events(of: ids[0]).filter { $0.e == .reconcile }.map { $0.t - now }
            #expect(reconciles.count == 2, "the first config and the changed one: \(reconciles)")
            #expect(reconciles.allSatisfy { $0 < 4 } && (reconciles.last ?? 0) > 1, "\(reconciles)")
            #expect(try sink.events(of: ids[1]).allSatisfy { $0.e != .reconcile }, "a connector without a site")
            let snapshots = try sink.snapshots(of: ids[0])
            let events = try sink.events(of: ids[0])
            #expect(FleetChecker.check(connector: ids[0], snapshots: snapshots, events: events).isEmpty)
        }
    }

    /// A WAN or LAN create body: a port with static addressing.
    struct Port: Encodable {
        struct Addressing: Encodable {
            var address: String
            var gateway_address: String?
        }
        var physport: Int
        var static_addressing: Addressing
    }

    /// Any result (only success matters).
    struct Ignored: Codable, Sendable {
        init(from decoder: any Decoder) throws {}
        func encode(to encoder: any Encoder) throws {}
    }

    /// `{count, items: [{a, t}]}` of "List Snapshots".
    struct TelemetryList: Codable, Sendable {
        var count: Int
        var items: [SnapshotMetadata]
    }
}
