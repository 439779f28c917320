import ConnectorAPI
import Foundation
import Testing

/// Paths of the account-level Magic families under the test account.
enum MagicPaths {
    static let gre = "\(Paths.account)/gre_tunnels"
    static let ipsec = "\(Paths.account)/ipsec_tunnels"
    static let interconnects = "\(Paths.account)/cf_interconnects"
    static let routes = "\(Paths.account)/routes"
}

/// A valid GRE tunnel body on 10.200.<third>.0/31.
func greBody(name: String = "GRE_1", third: Int = 0) -> [String: Any] {
    [
        "cloudflare_gre_endpoint": "203.0.113.1", "customer_gre_endpoint": "198.51.100.2",
        "interface_address": "10.200.\(third).0/31", "name": name,
    ]
}

/// A valid IPsec tunnel body on 10.201.<third>.0/31.
func ipsecBody(name: String = "IPsec_1", third: Int = 0) -> [String: Any] {
    [
        "cloudflare_endpoint": "203.0.113.1", "customer_endpoint": "198.51.100.7",
        "interface_address": "10.201.\(third).0/31", "name": name,
    ]
}

/// `greBody` as the API type.
func gre(name: String = "GRE_1", third: Int = 0) -> GRETunnel {
    GRETunnel(
        cloudflareGreEndpoint: "203.0.113.1", customerGreEndpoint: "198.51.100.2",
        interfaceAddress: "10.200.\(third).0/31", name: name
    )
}

/// `ipsecBody` as the API type.
func ipsec(name: String = "IPsec_1", third: Int = 0) -> IPsecTunnel {
    IPsecTunnel(
        cloudflareEndpoint: "203.0.113.1", interfaceAddress: "10.201.\(third).0/31", name: name,
        customerEndpoint: "198.51.100.7")
}

/// A created tunnel or route: only its id matters here.
private struct CreatedMagicObject: Codable, Sendable { let id: String }

extension RouterClient {
    /// POSTs a tunnel or route to `collection` (create answers the object itself); its id.
    func createMagicID<Value: Encodable>(
        _ collection: String, _ body: Value, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let response = try await send(.post, collection, body: body)
        return try #require(
            try? decode(CreatedMagicObject.self, response).result?.id, "create at \(collection): \(response.text)",
            sourceLocation: sourceLocation)
    }
}
