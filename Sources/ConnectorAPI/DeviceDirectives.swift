// What an operator asks of a device through mock-api (additions, not in the public API): an upgrade offer and a
// cloudflared tunnel. The agent reads both at check-in.

/// `PUT .../connectors/{id}/upgrade`: the version the device should run, where to get it and its SHA-256.
public struct UpgradeOffer: Codable, Sendable, Equatable, Hashable {
    public var version: String
    /// http(s) URL of the bundle. A URL under the API base is fetched with the device's token, any other without.
    public var url: String
    /// Lowercase hex SHA-256 of the bundle.
    public var sha256: String

    public init(version: String, url: String, sha256: String) {
        self.version = version
        self.url = url
        self.sha256 = sha256
    }
}

/// `PUT .../connectors/{id}/cloudflared_tunnel`: run a cloudflared tunnel for this connector.
public struct CloudflaredTunnelConfig: Codable, Sendable, Equatable {
    /// The Cloudflare Tunnel's UUID.
    public var tunnelId: String
    /// The tunnel token (a secret: stored 0600 by the agent, never logged).
    public var token: String
    /// Origins to publish, e.g. `{"hostname": "app.example.com", "service": "http://10.0.1.10:8080"}`.
    public var ingress: [CloudflaredIngressRule]?

    public init(tunnelId: String, token: String, ingress: [CloudflaredIngressRule]? = nil) {
        self.tunnelId = tunnelId
        self.token = token
        self.ingress = ingress
    }

    enum CodingKeys: String, CodingKey {
        case token, ingress
        case tunnelId = "tunnel_id"
    }
}

/// One ingress rule of a cloudflared tunnel.
public struct CloudflaredIngressRule: Codable, Sendable, Equatable {
    public var hostname: String?
    public var service: String

    public init(hostname: String? = nil, service: String) {
        self.hostname = hostname
        self.service = service
    }
}
