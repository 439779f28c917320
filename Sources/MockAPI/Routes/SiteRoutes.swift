import ConnectorAPI
import Hummingbird

/// Sites: `/accounts/:account_id/magic/sites[/:site_id]`, list filtered by `?connector_identifier=` (or `?connectorid=`).
struct SiteRoutes {
    let services: Services

    func register(on accounts: AccountRouter) {
        accounts.group("magic/sites")
            .get(use: list)
            .post(use: create)
            .get(":site_id", use: get)
            .put(":site_id") { try await update($0, $1, replace: true) }
            .patch(":site_id") { try await update($0, $1, replace: false) }
            .delete(":site_id", use: delete)
    }

    private func list(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try context.account
        // connector_identifier as documented; connectorid, which agents have always sent, still works.
        let connector = request.uri.queryParameters.get("connector_identifier") ?? request.uri.queryParameters.get("connectorid")
        // An identifier is at most 32 characters (magic_identifier); a longer one is a bad parameter, not "no sites".
        if let connector, connector.count > 32 { throw APIError.query("connector_identifier", "is \(connector.count) characters long; identifiers are at most 32") }
        let sites = try await services.store.writer.read { db in
            try SiteStore.list(db: db, account: account, connector: connector)
        }
        return try JSONResponse.ok(sites)
    }

    private func get(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, id) = (try context.account, try context.path("site_id"))
        let site = try await services.store.writer.read { db in try SiteStore.require(db: db, account: account, id: id) }
        return try JSONResponse.ok(site)
    }

    private func create(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try context.account
        var site = try await services.body.decode(Site.self, from: request)
        site.id = Identifier.make()
        site.haMode = site.haMode ?? false
        try SiteValidation.validate(site)
        let created = site
        let catalog = services.catalog
        try await services.store.writer.write { db in
            try SiteStore.checkConflicts(db: db, account: account, site: created)
            try SiteStore.insert(db: db, account: account, site: created)
            try CatalogSyncRunner.catalogDidChange(db: db, account: account, catalog: catalog)
        }
        return try JSONResponse.ok(created)
    }

    private func update(_ request: Request, _ context: MockRequestContext, replace: Bool) async throws -> Response {
        let (account, id) = (try context.account, try context.path("site_id"))
        let body = try await services.body.decode(Site.self, from: request)
        let catalog = services.catalog
        let updated = try await services.store.writer.write { db in
            let existing = try SiteStore.require(db: db, account: account, id: id)
            var site: Site
            if replace {
                // PUT replaces, so it requires what create requires (a kept name would hide that the rest is cleared).
                guard body.name != nil else { throw APIError.missing("name") }
                site = body
            } else {
                site = existing
                site.connectorId = body.connectorId ?? existing.connectorId
                site.description = body.description ?? existing.description
                site.location = body.location ?? existing.location
                site.name = body.name ?? existing.name
                site.secondaryConnectorId = body.secondaryConnectorId ?? existing.secondaryConnectorId
            }
            site.id = id
            site.haMode = existing.haMode  // HA mode is chosen at creation; the update bodies don't carry it
            try SiteValidation.validate(site)
            try SiteStore.checkConflicts(db: db, account: account, site: site)
            try SiteStore.update(db: db, site: site)
            try CatalogSyncRunner.catalogDidChange(db: db, account: account, catalog: catalog)
            return site
        }
        return try JSONResponse.ok(updated)
    }

    private func delete(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, id) = (try context.account, try context.path("site_id"))
        let catalog = services.catalog
        let deleted = try await services.store.writer.write { db in
            let site = try SiteStore.require(db: db, account: account, id: id)
            try SiteStore.delete(db: db, id: id)
            try CatalogSyncRunner.catalogDidChange(db: db, account: account, catalog: catalog)
            return site
        }
        return try JSONResponse.ok(deleted)
    }
}
