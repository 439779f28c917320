import ConnectorAPI
import Foundation
import Logging
import SiteNetwork

/// The site's IPsec tunnels and Magic routes as the agent learns them from the API: the account's tunnels whose
/// customer endpoint is one of the site's static WAN addresses (the WAN the tunnel leaves by), and the routes
/// whose nexthop is the customer side of one of them.
///
/// The API never returns a pre-shared key after it was set. The connector's charon needs it, so the agent
/// provisions its own: the first time it sees a tunnel (or after someone regenerated the key elsewhere) it asks
/// `psk_generate` for a fresh one, which the edge (mock-api's store, a lab edge) then authenticates with, and
/// keeps it in `<state dir>/tunnel-psks.json` (0600), never in a log.
struct SiteTunnels {
    let client: APIClient
    let stateDirectory: String
    let logger: Logger

    struct TunnelList: Codable, Sendable {
        var ipsecTunnels: [IPsecTunnel]?
        enum CodingKeys: String, CodingKey { case ipsecTunnels = "ipsec_tunnels" }
    }

    struct RouteList: Codable, Sendable {
        var routes: [MagicRoute]?
    }

    struct GeneratedPSK: Codable, Sendable {
        var psk: String?
        var pskMetadata: PSKMetadata?
        enum CodingKeys: String, CodingKey {
            case psk
            case pskMetadata = "psk_metadata"
        }
    }

    /// A key the agent generated, and when the API says it was generated (to notice a newer one made elsewhere).
    struct StoredPSK: Codable, Sendable, Equatable {
        var psk: String
        var generatedOn: String?
    }

    private var secretsFile: String { "\(stateDirectory)/tunnel-psks.json" }

    /// True for a tunnel of the site: its customer endpoint is one of the site's static WAN addresses, and its id
    /// is an id (it becomes a segment of the `psk_generate` path and a key of the secrets file, so an id from the
    /// API holding `/`, `..`, `?` or anything else is never used; validation would refuse the tunnel anyway).
    static func isSites(_ tunnel: IPsecTunnel, wanAddresses: Set<IPv4Address>) -> Bool {
        guard let id = tunnel.id, TextRules.idProblem(id) == nil else { return false }
        return tunnel.customerEndpoint?.value.map(wanAddresses.contains) ?? false
    }

    /// `config` with its tunnels (each with its PSK) and routes; unchanged when the API has no tunnel endpoints.
    func complete(_ config: SiteConfig) async throws -> SiteConfig {
        let accountPath = client.accountPath
        guard let list = try await client.getOptional(TunnelList.self, "\(accountPath)/ipsec_tunnels") else { return config }
        let wanAddresses = Set(config.wans.compactMap { $0.staticAddressing?.address?.value?.address })
        var tunnels = (list.ipsecTunnels ?? []).filter { Self.isSites($0, wanAddresses: wanAddresses) }
            .sorted { ($0.name ?? "", $0.id ?? "") < ($1.name ?? "", $1.id ?? "") }
        guard !tunnels.isEmpty else { return config }
        var secrets = readSecrets()
        for index in tunnels.indices {
            guard let id = tunnels[index].id else { continue }
            let generatedOn = tunnels[index].pskMetadata?.lastGeneratedOn
            if let stored = secrets[id], stored.generatedOn == generatedOn || generatedOn == nil {
                tunnels[index].psk = stored.psk
                continue
            }
            let fresh = try await client.call(
                "POST", "\(accountPath)/ipsec_tunnels/\(id)/psk_generate", body: [String: String](), as: GeneratedPSK.self)
            guard let psk = fresh.psk else { continue }
            secrets[id] = StoredPSK(psk: psk, generatedOn: fresh.pskMetadata?.lastGeneratedOn)
            try writeSecrets(secrets)
            logger.notice("generated the pre-shared key of IPsec tunnel \(TextRules.printable(tunnels[index].name ?? id))", metadata: ["tunnel_id": "\(TextRules.printable(id))"])
            tunnels[index].psk = psk
        }
        let customerSides = TunnelAddressing.customerSides(of: tunnels)
        let routes = (try await client.getOptional(RouteList.self, "\(accountPath)/routes"))?.routes ?? []
        var completed = config
        completed.ipsecTunnels = tunnels
        completed.routes = routes.filter { route in route.nexthop?.value.map(customerSides.contains) ?? false }
        return completed
    }

    private func readSecrets() -> [String: StoredPSK] {
        SecureFile.read(secretsFile).flatMap { try? JSONDecoder().decode([String: StoredPSK].self, from: $0) } ?? [:]
    }

    /// 0600 from the first byte, atomically, like the device key.
    private func writeSecrets(_ secrets: [String: StoredPSK]) throws {
        try SecureFile.write(try JSONEncoder().encode(secrets), to: secretsFile)
    }
}
