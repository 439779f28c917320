import Agent
import ConnectorAPI
import Crypto
import Foundation

/// The fleet's side of the v4 API, through the agent's own client (`APIClient`, `IdentityClient`): connectors
/// created and activated (or found again by their device id), each attested with a key of its own, check-ins.
/// Holds the token; never prints or logs it.
public struct FleetAPI: Sendable {
    public let base: URL
    public let accountID: String
    let token: String
    let http: HTTPClient
    /// Requests in flight at once.
    public let concurrency: Int
    /// Seconds one request may take (the agent's 15 by default).
    public let requestTimeout: Double

    public init(base: URL, accountID: String, token: String, concurrency: Int = 16, requestTimeout: Double = 15) {
        self.base = base
        self.accountID = accountID
        self.token = token
        self.concurrency = concurrency
        self.requestTimeout = requestTimeout
        http = HTTPClient(maximumIdlePerHost: concurrency)
    }

    func client(_ connectorID: String) -> APIClient {
        APIClient(base: base, accountID: accountID, connectorID: connectorID, token: token, requestTimeout: requestTimeout, http: http)
    }

    /// The device id of connector `index` of a fleet of `seed`: a rerun finds its connectors again.
    public static func deviceID(seed: UInt64, index: Int) -> String { "fleet-\(seed)-\(index)" }

    /// Ids of `count` activated connectors for the fleet of `seed`: the account's connectors with the fleet's
    /// device ids, and new ones (created activated) for the rest.
    public func connectors(count: Int, seed: UInt64) async throws -> [String] {
        try await connectors(indices: Array(0..<count), seed: seed)
    }

    /// Ids of the fleet's connectors `indices` (a shard's members), found by device id or created activated.
    public func connectors(indices: [Int], seed: UInt64) async throws -> [String] {
        let account = client("")
        let existing = try await account.get([Connector].self, account.accountPath + "/connectors")
        let byDevice = Dictionary(
            existing.compactMap { connector in connector.device.map { ($0.id, connector.id) } },
            uniquingKeysWith: { first, _ in first })
        let results = await concurrently(indices.count, limit: concurrency) { position -> Result<String, any Error> in
            let device = Self.deviceID(seed: seed, index: indices[position])
            if let id = byDevice[device] { return .success(id) }
            return await Result {
                let body = ConnectorFields(
                    device: ConnectorDeviceOptions(id: device), activated: true, notes: "vconnector fleet, seed \(seed)"
                )
                return try await account.call(
                    "POST", account.accountPath + "/connectors", body: body, as: Connector.self
                ).id
            }
        }
        return try results.map { try $0.get() }
    }

    /// Attests each connector with a new P-256 key; true where the API accepted it.
    public func attest(_ ids: [String]) async -> [Bool] {
        await concurrently(ids.count, limit: concurrency) { index in
            (try? await IdentityClient(client: client(ids[index])).attest(P256.Signing.PrivateKey())) != nil
        }
    }

    /// Each connector fetches itself, as the agent's check-in does; how many failed.
    public func checkIn(_ ids: [String]) async -> Int {
        let failed = await concurrently(ids.count, limit: concurrency) { index in
            let client = client(ids[index])
            return (try? await client.get(Connector.self, client.connectorPath)) == nil
        }
        return failed.filter { $0 }.count
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
