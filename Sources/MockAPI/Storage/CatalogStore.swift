import ConnectorAPI
import Foundation

/// An account's resource catalog: the `--catalog` file's resources until the account's catalog is edited
/// through the API (then its own stored copy), plus its Magic sites and LANs, derived live.
enum CatalogStore {
    /// Everything a policy runs over, in catalog order: discovered resources, then sites and LANs.
    static func resources(db: SQLSession, account: String, file: CatalogFile) throws -> [CatalogResource] {
        try discovered(db: db, account: account, file: file) + magic(db: db, account: account)
    }

    /// The discovered (non-Magic) resources: stored if the account's catalog was edited, else the file's.
    static func discovered(db: SQLSession, account: String, file: CatalogFile) throws -> [CatalogResource] {
        guard try isStored(db: db, account: account) else { return file.resources }
        return try String.fetchAll(
            db, sql: "SELECT doc FROM catalog_resources WHERE account_id = ? ORDER BY seq", arguments: [account]
        ).map { try DocumentTable.decoder.decode(CatalogResource.self, from: Data($0.utf8)) }
    }

    /// The newest discovery the catalog includes: the file's `discovered_until` (for the file's catalog) or
    /// the newest `discovered_at` of a resource, whichever is later.
    static func discoveredUntil(db: SQLSession, account: String, file: CatalogFile, resources: [CatalogResource]) throws -> String? {
        var newest = resources.compactMap(\.discoveredAt).max()
        if try !isStored(db: db, account: account), let until = file.discoveredUntil {
            newest = max(newest ?? until, until)
        }
        return newest
    }

    static func isStored(db: SQLSession, account: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM catalog_accounts WHERE account_id = ?)", arguments: [account]) ?? false
    }

    /// Makes `resources` the account's discovered catalog (from now on independent of the file).
    static func replace(db: SQLSession, account: String, with resources: [CatalogResource]) throws {
        try db.execute(
            sql: "INSERT INTO catalog_accounts (account_id, updated_at) VALUES (?, ?) ON CONFLICT (account_id) DO UPDATE SET updated_at = excluded.updated_at",
            arguments: [account, MockStore.timestamp()]
        )
        try db.execute(sql: "DELETE FROM catalog_resources WHERE account_id = ?", arguments: [account])
        for (seq, resource) in resources.enumerated() {
            try db.execute(
                sql: "INSERT INTO catalog_resources (account_id, id, seq, doc) VALUES (?, ?, ?, ?)",
                arguments: [account, resource.id, seq, String(decoding: try DocumentTable.encoder.encode(resource), as: UTF8.self)]
            )
        }
    }

    /// The account's Magic sites (with all their LAN prefixes) and LANs as catalog resources.
    static func magic(db: SQLSession, account: String) throws -> [CatalogResource] {
        let sites = try SiteStore.list(db: db, account: account, connector: nil)
        var result: [CatalogResource] = []
        for site in sites {
            guard let siteID = site.id else { continue }
            let lans = try DocumentTable.lans.list(LAN.self, db: db, account: account, site: siteID)
            let siteEntryID = "magic_site:\(siteID)"
            var lanEntries: [CatalogResource] = []
            for lan in lans {
                guard let lanID = lan.id else { continue }
                var prefixes: [String] = []
                if let cidr = lan.staticAddressing?.address?.value { prefixes.append(cidr.networkCIDR) }
                prefixes += (lan.routedSubnets ?? []).compactMap { $0.prefix?.value?.networkCIDR }
                lanEntries.append(CatalogResource(
                    id: "magic_lan:\(lanID)", kind: "magic_lan", name: lan.name ?? lanID, cloudType: "CLOUDFLARE",
                    nativeId: lanID, parentId: siteEntryID, cidrs: prefixes, tags: ["site": site.name ?? siteID]
                ))
            }
            result.append(CatalogResource(
                id: siteEntryID, kind: "magic_site", name: site.name, cloudType: "CLOUDFLARE", nativeId: siteID,
                cidrs: lanEntries.flatMap { $0.cidrs ?? [] }, tags: [:]
            ))
            result += lanEntries
        }
        return result
    }
}
