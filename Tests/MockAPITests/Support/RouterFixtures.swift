import ConnectorAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Creating the resources most router tests need with typed bodies, checking each step succeeded.
extension RouterClient {
    /// A request outside the v4 API (`/metrics`, the dashboard at `/`) or with headers exactly as given (no
    /// credential or content type added).
    func request(_ method: HTTPRequest.Method, uri: String, headers: HTTPFields = [:], body: ByteBuffer? = nil)
        async throws -> RouterResponse
    {
        try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    /// GETs `path` and decodes its envelope's result as `Result`.
    func get<Result: Codable & Sendable>(_ type: Result.Type, _ path: String, token: String? = TestServer.writeToken)
        async throws -> Envelope<Result>
    {
        try decode(type, try await send(.get, path, token: token))
    }

    /// A site named `site-<random>` (an HA site if asked); its id.
    func createSite(haMode: Bool? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try await createSite(
            SiteTests.Body(name: "site-\(UUID().uuidString.prefix(8))", haMode: haMode), sourceLocation: sourceLocation)
    }

    /// Three connectors (devices `a`, `b`, `c`): their ids.
    func threeConnectors() async throws -> (String, String, String) {
        var ids: [String] = []
        for device in ["a", "b", "c"] {
            ids.append(try await createConnector(ConnectorFields(device: ConnectorDeviceOptions(id: device))).id)
        }
        return (ids[0], ids[1], ids[2])
    }

    /// POSTs `body` as a LAN of `site`; its id (create answers a list, as documented).
    func createLAN(site: String, _ body: LAN, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String
    {
        let response = try await send(.post, "\(Paths.site(site))/lans", body: body)
        let id = try decode([LAN].self, response).result?.first?.id
        return try #require(id, "create LAN: \(String(buffer: response.body))", sourceLocation: sourceLocation)
    }

    /// POSTs `body` as a WAN of `site`; its id.
    func createWAN(site: String, _ body: WAN = WAN(physport: 1), sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> String
    {
        let response = try await send(.post, "\(Paths.site(site))/wans", body: body)
        let id = try decode([WAN].self, response).result?.first?.id
        return try #require(id, "create WAN: \(String(buffer: response.body))", sourceLocation: sourceLocation)
    }

    /// A custom app of the account; its `account_app_id`.
    func createApp(
        _ body: AccountApp = AccountApp(name: "Dashboard", type: "Development", hostnames: ["dash.example.com"]),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let response = try await send(.post, Paths.apps, body: body)
        return try #require(
            try decode(AccountApp.self, response).result?.id, "create app: \(String(buffer: response.body))",
            sourceLocation: sourceLocation)
    }

    /// The keys of the response's `result` object: a typed result cannot tell an absent field from a null one.
    func resultKeys(_ response: RouterResponse) throws -> Set<String> {
        struct Raw: Decodable { let result: [String: JSONValue] }
        return Set(try JSONDecoder().decode(Raw.self, from: Data(buffer: response.body)).result.keys)
    }
}

extension RouterClient {
    /// The response's `result` as any JSON, for bodies whose shape the test walks by path.
    func resultValue(_ response: RouterResponse) throws -> JSONValue? {
        struct Raw: Decodable { let result: JSONValue? }
        return try JSONDecoder().decode(Raw.self, from: Data(buffer: response.body)).result
    }

    /// The keys of each element of the response's `result` array, for the same reason.
    func resultElementKeys(_ response: RouterResponse) throws -> [Set<String>] {
        struct Raw: Decodable { let result: [[String: JSONValue]] }
        return try JSONDecoder().decode(Raw.self, from: Data(buffer: response.body)).result.map { Set($0.keys) }
    }

    /// The keys of each item of the response's `result.items` (telemetry pages), for the same reason.
    func resultItemKeys(_ response: RouterResponse) throws -> [Set<String>] {
        struct Page: Decodable { let items: [[String: JSONValue]] }
        struct Raw: Decodable { let result: Page }
        return try JSONDecoder().decode(Raw.self, from: Data(buffer: response.body)).result.items.map { Set($0.keys) }
    }
}

/// A request body built from a golden fixture or deliberately of the wrong shape, which no API type can hold.
func jsonData(_ object: Any) throws -> Data { try JSONSerialization.data(withJSONObject: object) }

extension RouterResponse {
    /// The body as text, for failure messages and byte-for-byte comparisons.
    var text: String { String(buffer: body) }

    /// The documented failure envelope: success false, an error with code and message, and `"result": null` written out.
    var isFailureEnvelope: Bool {
        struct Raw: Decodable {
            let success: Bool
            let errors: [APIMessage]
            let result: JSONValue
        }
        guard let raw = try? JSONDecoder().decode(Raw.self, from: Data(buffer: body)) else { return false }
        return !raw.success && raw.result == .null && raw.errors.first.map { !$0.message.isEmpty } == true
    }
}

/// A LAN with static addressing 10.0.<third>.1/24 and a DHCP pool.
func lan(physport: Int = 2, vlan: Int = 0, third: Int = 1, name: String? = nil) -> LAN {
    LAN(
        name: name, physport: physport,
        staticAddressing: LANStaticAddressing(
            address: "10.0.\(third).1/24",
            dhcpServer: DHCPServer(dhcpPoolEnd: "10.0.\(third).200", dhcpPoolStart: "10.0.\(third).100")
        ),
        vlanTag: vlan
    )
}
