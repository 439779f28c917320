import Agent
import ConnectorAPI
import Foundation
import Logging
import MockAPI
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real mock-api on loopback, started in-process as MockAPITests' TestServer does (MockAPIServer.run with
/// port 0 and `onListening`), with a known account. It can be stopped and restarted on the same port and
/// database file, which is how the tests make an API outage.
final class LoopbackMock: @unchecked Sendable {
    static let account = "acc00000000000000000000000000a9e"
    static let token = "agent-test-write-token"

    let databasePath: String
    let maxBodyBytes: Int
    private(set) var port: Int
    private var server: MockAPIServer?
    private var task: Task<Void, any Error>?

    var base: String { "http://127.0.0.1:\(port)/client/v4" }

    private init(databasePath: String, port: Int, maxBodyBytes: Int) {
        self.databasePath = databasePath
        self.port = port
        self.maxBodyBytes = maxBodyBytes
    }

    /// Starts on a free port with a new temporary database file.
    static func start(maxBodyBytes: Int = MockAPIConfiguration.defaultMaxBodyBytes) async throws -> LoopbackMock {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("agent-test-mock-\(UUID().uuidString).sqlite").path
        let mock = LoopbackMock(databasePath: path, port: 0, maxBodyBytes: maxBodyBytes)
        try await mock.start()
        return mock
    }

    /// (Re)starts the server on `port` (0 = a free one the first time) with the same database.
    func start() async throws {
        var logger = Logger(label: "test.agent.mock-api")
        logger.logLevel = .warning
        let server = try MockAPIServer(
            configuration: MockAPIConfiguration(host: "127.0.0.1", port: port, databasePath: databasePath, maxBodyBytes: maxBodyBytes),
            logger: logger
        )
        try server.store.createAccount(id: Self.account, writeToken: Self.token)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        task = Task { try await server.run(handleSignals: false) { port in continuation.yield(port) } }
        for await bound in stream { port = bound; break }
        self.server = server
    }

    /// Stops the server and waits until it has shut down (the port is then closed).
    func stop() async {
        await server?.shutdown()
        _ = await task?.result
        server = nil
        task = nil
    }

    func remove() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
    }

    // MARK: HTTP

    static let session = URLSession(configuration: .ephemeral)

    /// One request with the account's write token; the v4 envelope's `result`, or a thrown failure.
    @discardableResult
    func call(_ method: String, _ path: String, _ json: Any? = nil) async throws -> Any {
        var request = URLRequest(url: URL(string: base + "/accounts/\(Self.account)/magic" + path)!)
        request.httpMethod = method
        request.setValue("Bearer \(Self.token)", forHTTPHeaderField: "Authorization")
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await Self.session.data(for: request)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        guard (response as? HTTPURLResponse)?.statusCode == 200, object["success"] as? Bool == true else {
            throw MockCallError(description: "\(method) \(path): \(String(decoding: data, as: UTF8.self))")
        }
        return object["result"] ?? NSNull()
    }

    /// A raw body (the upgrade bundle) with the write token; the envelope's `result` object.
    func putRaw(_ path: String, _ body: Data) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: base + "/accounts/\(Self.account)/magic" + path)!)
        request.httpMethod = "PUT"
        request.setValue("Bearer \(Self.token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        let (data, _) = try await Self.session.data(for: request)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        guard object["success"] as? Bool == true, let result = object["result"] as? [String: Any] else {
            throw MockCallError(description: "PUT \(path): \(String(decoding: data, as: UTF8.self))")
        }
        return result
    }

    /// The newest full events (`{e, n, t, v, a}`), oldest first.
    func fullEvents(connector: String) async throws -> [[String: Any]] {
        let result = try await call("GET", "/connectors/\(connector)/telemetry/events/latest?limit=1000") as? [String: Any]
        let items = result?["items"] as? [[String: Any]] ?? []
        return items.sorted { (($0["t"] as? Double ?? 0), ($0["n"] as? Int ?? 0)) < (($1["t"] as? Double ?? 0), ($1["n"] as? Int ?? 0)) }
    }

    /// A new connector; its id.
    func createConnector() async throws -> String {
        let result = try await call("POST", "/connectors", ["device": ["id": "dev-\(UUID().uuidString.prefix(8))"]])
        return (result as? [String: Any])?["id"] as? String ?? ""
    }

    /// A site served by `connector`, with one LAN and one WAN; the site id.
    func createSite(connector: String) async throws -> String {
        let site = try await call("POST", "/sites", ["name": "site-\(UUID().uuidString.prefix(8))", "connector_id": connector])
        let id = (site as? [String: Any])?["id"] as? String ?? ""
        try await call("POST", "/sites/\(id)/wans", ["physport": 1, "name": "wan1"])
        try await call("POST", "/sites/\(id)/lans", lanBody(physport: 2, third: 1, name: "lan1"))
        return id
    }

    func lanBody(physport: Int, third: Int, name: String) -> [String: Any] {
        [
            "physport": physport, "vlan_tag": 0, "name": name,
            "static_addressing": [
                "address": "10.0.\(third).1/24",
                "dhcp_server": ["dhcp_pool_start": "10.0.\(third).100", "dhcp_pool_end": "10.0.\(third).200"],
            ],
        ]
    }

    /// Every stored event of a connector as (stamp, kind, received), in (t, n) order, all pages.
    func events(connector: String) async throws -> [(stamp: Stamp, kind: String, a: Double)] {
        try await pages(connector: connector, kind: "events").map { (Stamp(t: $0.t, n: $0.n ?? 0), $0.k ?? "", $0.a) }
    }

    /// Every stored snapshot of a connector as (t, received), in t order, all pages.
    func snapshots(connector: String) async throws -> [(t: Double, a: Double)] {
        try await pages(connector: connector, kind: "snapshots").map { ($0.t, $0.a) }
    }

    /// The newest full snapshots, newest first.
    func latestSnapshots(connector: String, limit: Int) async throws -> [[String: Any]] {
        let result = try await call("GET", "/connectors/\(connector)/telemetry/snapshots/latest?limit=\(limit)") as? [String: Any]
        return result?["items"] as? [[String: Any]] ?? []
    }

    /// A list item; decoded with JSONDecoder, which reads `t` exactly (JSONSerialization on Linux is off by an ulp).
    struct Item: Codable, Sendable {
        var a: Double
        var t: Double
        var n: UInt64?
        var k: String?
    }

    private func pages(connector: String, kind: String) async throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        repeat {
            var path = "/connectors/\(connector)/telemetry/\(kind)?from=0&to=99999999999&limit=1000"
            if let cursor { path += "&cursor=\(cursor)" }
            var request = URLRequest(url: URL(string: base + "/accounts/\(Self.account)/magic" + path)!)
            request.setValue("Bearer \(Self.token)", forHTTPHeaderField: "Authorization")
            let (data, _) = try await Self.session.data(for: request)
            let envelope = try JSONDecoder().decode(Envelope<TelemetryPage<Item>>.self, from: data)
            guard envelope.success, let page = envelope.result else { throw MockCallError(description: "GET \(path): \(String(decoding: data, as: UTF8.self))") }
            items += page.items
            cursor = page.cursor
        } while cursor != nil
        return items
    }
}

struct MockCallError: Error, CustomStringConvertible {
    var description: String
}

/// A new empty state directory path (not created: the agent creates it 0700), removed with the test process.
func temporaryStateDirectory() -> String {
    TestScratch.path("agent-test-state")
}

/// A configuration for tests: short intervals and backoff so a test runs in seconds.
func testConfiguration(mock: LoopbackMock, connector: String, stateDirectory: String) -> AgentConfiguration {
    var configuration = AgentConfiguration(
        apiBase: mock.base, accountID: LoopbackMock.account, connectorID: connector,
        apiToken: LoopbackMock.token, stateDirectory: stateDirectory
    )
    configuration.snapshotInterval = 0.05
    configuration.checkinInterval = 0.2
    configuration.backoffInitial = 0.05
    configuration.backoffCap = 0.25
    configuration.requestTimeout = 5
    configuration.shutdownTimeout = 5
    // The spool and check-in tests count events exactly; the identity tests turn attestation on.
    configuration.attestation = false
    return configuration
}

/// A small valid snapshot carrying the agent's counters (the real collector is exercised by the lifecycle test).
let countersOnlySnapshot: SnapshotSource = { counters in
    Snapshot(
        t: 0, v: "",
        countReclaimFailures: counters.reclaimFailures, countReclaimedPaths: counters.reclaimedPaths,
        countRecordFailed: counters.recordFailed, countTransmitFailures: counters.transmitFailures
    )
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass; whether it held.
func eventually(within seconds: Double = 15, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// Runs `agent` in a task; the caller stops it and awaits the task.
func launch(_ agent: Agent) -> Task<Void, Never> {
    Task { await agent.run() }
}

var quietLogger: Logger {
    var logger = Logger(label: "test.agent")
    logger.logLevel = .critical
    return logger
}
