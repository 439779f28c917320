import ConnectorAPI
import Foundation

/// Runs a sync's policy over its account's catalog and writes the matches to its destination, inside the
/// caller's transaction. AUTO syncs are rerun whenever what they last saw (policy + catalog) changed.
enum CatalogSyncRunner {
    /// A run's result: the updated sync, and the reason when the run failed (the sync records it in `errors`).
    struct Outcome {
        var sync: CatalogSync
        var failure: APIError?
    }

    static func run(db: SQLSession, account: String, sync: CatalogSync, catalog: ResourceCatalog, resources: [CatalogResource]? = nil) throws -> Outcome {
        let resources = try resources ?? CatalogStore.resources(db: db, account: account, file: catalog.file)
        let now = MockStore.timestamp()
        var sync = sync
        sync.lastAttemptedUpdateAt = now
        let fingerprintNow = fingerprint(sync, resources)

        let matched: [CatalogResource]
        do {
            // An empty policy selects nothing: the destination is emptied.
            matched = sync.policy.isEmpty ? [] : PolicyEvaluator.select(try PolicyParser.parse(sync.policy), from: resources)
        } catch {
            // Policies are checked when written, so this needs a catalog attribute that went away.
            let failure = APIError.policy(error)
            sync.errors = ["policy": record(failure)]
            try CatalogSyncStore.update(db: db, sync: sync, fingerprint: fingerprintNow)
            return Outcome(sync: sync, failure: failure)
        }

        if sync.destinationType == .zeroTrustList {
            let items = addresses(of: matched)
            guard items.count <= GatewayListStore.maxItems else {
                let failure = APIError(
                    status: .unprocessableContent, code: ErrorCode.destinationFull,
                    message: "destination: the policy selects \(items.count) addresses but a Zero Trust list holds at most "
                        + "\(GatewayListStore.maxItems); the list keeps its previous entries. Narrow the policy.",
                    mcn: MCNErrorDetail(pointer: "/policy")
                )
                sync.errors = ["destination": record(failure)]
                try CatalogSyncStore.update(db: db, sync: sync, fingerprint: fingerprintNow)
                return Outcome(sync: sync, failure: failure)
            }
            try GatewayListStore.replaceItems(db: db, id: sync.destinationId, with: items)
        }
        sync.lastSuccessfulUpdateAt = now
        sync.includesDiscoveriesUntil = try CatalogStore.discoveredUntil(db: db, account: account, file: catalog.file, resources: resources)
        sync.errors = [:]
        try CatalogSyncStore.update(db: db, sync: sync, fingerprint: fingerprintNow)
        return Outcome(sync: sync, failure: nil)
    }

    /// Reruns the account's AUTO syncs whose policy or catalog changed since their last run. Called in the
    /// same transaction as every change to the catalog, the account's sites and LANs, or a sync.
    static func catalogDidChange(db: SQLSession, account: String, catalog: ResourceCatalog) throws {
        let autoSyncs = try CatalogSyncStore.autoSyncs(db: db, account: account)
        guard !autoSyncs.isEmpty else { return }
        let resources = try CatalogStore.resources(db: db, account: account, file: catalog.file)
        for (sync, last) in autoSyncs where last != fingerprint(sync, resources) {
            _ = try run(db: db, account: account, sync: sync, catalog: catalog, resources: resources)
        }
    }

    /// A failed run as the sync's `errors` keeps it: the documented item, pointing at what to fix.
    private static func record(_ failure: APIError) -> CatalogErrorItem {
        CatalogErrorItem(
            code: failure.code, message: failure.message, documentationUrl: MCNError.documentationURL,
            source: failure.mcn?.pointer.map { CatalogErrorSource(pointer: $0) }
        )
    }

    /// The list entries for the matched resources: their CIDRs and IPs, each once, in catalog order.
    static func addresses(of resources: [CatalogResource]) -> [(value: String, description: String)] {
        var seen: Set<String> = []
        var items: [(value: String, description: String)] = []
        for resource in resources {
            for value in (resource.cidrs ?? []) + (resource.ips ?? []) where seen.insert(value).inserted {
                items.append((value, "\(resource.kind) \(resource.name ?? resource.id) (\(resource.id))"))
            }
        }
        return items
    }

    /// What a run depends on: the policy, the destination kind and every catalog resource.
    static func fingerprint(_ sync: CatalogSync, _ resources: [CatalogResource]) -> String {
        let catalogJSON = (try? DocumentTable.encoder.encode(resources)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return MockStore.sha256("\(sync.policy)\u{0}\(sync.destinationType.rawValue)\u{0}\(catalogJSON)")
    }
}
