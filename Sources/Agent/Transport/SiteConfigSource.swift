import ConnectorAPI

/// A connector's site config as the API holds it: the site that names the connector and that site's LANs, WANs
/// and ACLs (the agent adds tunnels and routes with `SiteTunnels`, which keeps their keys). The agent's check-in
/// and the fleet's virtual connectors read it the same way.
public struct SiteConfigSource: Sendable {
    let client: APIClient

    public init(client: APIClient) { self.client = client }

    /// The config, or nil when no site names the connector. A connector or site id that is not an id is refused
    /// before it becomes part of a path.
    public func fetch() async throws -> SiteConfig? {
        if let problem = TextRules.idProblem(client.connectorID) {
            throw APIClientError(description: "connector id \(TextRules.printable(client.connectorID)) is not an id: \(problem)")
        }
        let sites = try await client.get([Site].self, "\(client.accountPath)/sites?connectorid=\(client.connectorID)")
        guard let site = sites.first, let siteID = site.id else { return nil }
        if let problem = TextRules.idProblem(siteID) {
            throw APIClientError(description: "the API's site id \(TextRules.printable(siteID)) is not an id: \(problem)", status: 200)
        }
        let sitePath = "\(client.accountPath)/sites/\(siteID)"
        async let lans = client.get([LAN].self, "\(sitePath)/lans")
        async let wans = client.get([WAN].self, "\(sitePath)/wans")
        async let acls = client.get([ACL].self, "\(sitePath)/acls")
        return SiteConfig(site: site, lans: try await lans, wans: try await wans, acls: try await acls)
    }
}
