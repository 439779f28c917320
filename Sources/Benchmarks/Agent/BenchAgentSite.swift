import Foundation
import SiteNetwork

/// The site `bench agent --site FILE` gives the measured agent: created through the mock's API as an operator
/// would (the scripts/demo file format: connector, site, wans, lans, acls by LAN name), applied by the agent to
/// namespaces at its first check-in and re-applied at every one after; removed again when the bench ends.
struct BenchAgentSite {
    let connectorID: String
    let names: SiteNames

    /// The file's top-level parts, checked before anything starts.
    static func load(_ path: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BenchmarkFailure("--site: cannot read \(path)")
        }
        guard let example = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            example["site"] is [String: Any], example["wans"] is [Any], example["lans"] is [Any]
        else {
            throw BenchmarkFailure(
                "--site: \(path) is not a site example (an object with site, wans, lans and optionally connector, acls; see fixtures/demo/site.json)"
            )
        }
        return example
    }

    static func create(_ example: [String: Any], mock: BenchMockClient, stateRoot: String) async throws
        -> BenchAgentSite
    {
        let connectorID = try await mock.createConnector(example["connector"] as? [String: Any] ?? [:])
        var site = example["site"] as? [String: Any] ?? [:]
        site["connector_id"] = connectorID
        site["name"] = "\(site["name"] as? String ?? "bench")-\(UUID().uuidString.prefix(8).lowercased())"
        let siteID = BenchMockClient.id(of: try await mock.call("POST", "/sites", site))
        for wan in example["wans"] as? [Any] ?? [] { _ = try await mock.call("POST", "/sites/\(siteID)/wans", wan) }
        var lanIDs: [String: String] = [:]
        for case let lan as [String: Any] in example["lans"] as? [Any] ?? [] {
            lanIDs[lan["name"] as? String ?? ""] = BenchMockClient.id(
                of: try await mock.call("POST", "/sites/\(siteID)/lans", lan))
        }
        for case var acl as [String: Any] in example["acls"] as? [Any] ?? [] {
            for side in ["lan_1", "lan_2"] {
                guard var end = acl[side] as? [String: Any], let name = end.removeValue(forKey: "lan_name") as? String
                else { continue }
                end["lan_id"] = lanIDs[name]
                acl[side] = end
            }
            _ = try await mock.call("POST", "/sites/\(siteID)/acls", acl)
        }
        return BenchAgentSite(
            connectorID: connectorID, names: SiteNames(key: SiteNames.key(for: siteID), stateRoot: stateRoot))
    }

    /// True once the agent has made the site's connector namespace.
    var isApplied: Bool { FileManager.default.fileExists(atPath: "/run/netns/\(names.connector)") }

    /// Stops the site's daemons and removes its namespaces and state (the agent leaves a site applied when it
    /// stops, as a connector keeps forwarding).
    func tearDown() {
        _ = try? SiteReconciler(stateRoot: names.stateRoot).teardown(names)
    }
}
