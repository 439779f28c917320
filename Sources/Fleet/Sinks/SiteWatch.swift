import Agent
import ConnectorAPI
import SiteNetwork
import Synchronization

/// The fleet's side of the agent's site reconcile: at each check-in every connector reads its site config from the
/// API (`SiteConfigSource`, as the agent does) and, when a new config validates, records Reconcile, as the agent
/// does after applying one. A virtual connector applies nothing (it has no namespaces); a config that does not
/// validate is refused and the last one stays, a site that no longer names the connector is forgotten.
public final class SiteWatch: Sendable {
    private let api: FleetAPI
    /// The config each connector last took, by connector id.
    private let taken = Mutex<[String: SiteConfig]>([:])

    public init(api: FleetAPI) { self.api = api }

    /// Reads the site config of each of `ids`; the ids that took a new config now (a Reconcile each).
    public func changed(_ ids: [String]) async -> Set<String> {
        let api = self.api
        let configs = await concurrently(ids.count, limit: api.concurrency) { index -> Result<SiteConfig?, any Error> in
            await Result { try await SiteConfigSource(client: api.client(ids[index])).fetch() }
        }
        return taken.withLock { taken in
            var changed: Set<String> = []
            for (id, result) in zip(ids, configs) {
                // An unreachable API changes nothing: the connector keeps what it has, as the agent does.
                guard case .success(let config) = result else { continue }
                guard let config else {
                    taken[id] = nil
                    continue
                }
                guard config != taken[id], SiteValidator.validate(config).isEmpty else { continue }
                taken[id] = config
                changed.insert(id)
            }
            return changed
        }
    }
}
