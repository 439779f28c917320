import ConnectorAPI
import Foundation
import Hummingbird

/// The site the child belongs to, read inside the same transaction as the change.
struct SiteScope {
    let db: SQLSession
    let account: String
    let site: Site
    var siteID: String { site.id ?? "" }
}

/// A resource owned by a site (LAN, WAN, ACL, app config): one JSON document per row, same CRUD flow.
protocol SiteChild: Codable, Sendable {
    static var table: DocumentTable { get }
    /// "LAN", for messages.
    static var noun: String { get }
    /// "lans", the path segment.
    static var segment: String { get }
    /// The create response is a list (LANs and WANs, as documented) rather than the object.
    static var createReturnsList: Bool { get }

    var id: String? { get set }
    var name: String? { get }
    mutating func assign(site: String)
    /// PATCH: fields present in `patch` replace ours.
    func merged(with patch: Self) -> Self
    /// PUT: the body replaces us, except fields required at creation that the body leaves out.
    func replaced(with body: Self) -> Self
    /// Validates against the site and its other children; may fill derived fields. `existing` is the id on update.
    static func prepare(_ value: Self, scope: SiteScope, existing: String?) throws -> Self
    /// Refuses a delete that would break a reference (e.g. a LAN named by an ACL).
    static func checkDelete(id: String, scope: SiteScope) throws
}

extension SiteChild {
    static func checkDelete(id: String, scope: SiteScope) throws {}
    static var createReturnsList: Bool { false }

    /// 409 if another child of the site already has this name.
    static func checkName(_ value: Self, scope: SiteScope, existing: String?) throws {
        if try table.nameTaken(db: scope.db, site: scope.siteID, name: value.name, excluding: existing) {
            throw APIError.conflict("name: a \(noun) named '\(value.name ?? "")' already exists in site '\(scope.siteID)'")
        }
    }
}

/// list, get, create, PUT, PATCH, delete under `/accounts/:account_id/magic/sites/:site_id/<segment>`.
struct SiteChildRoutes<Child: SiteChild> {
    let services: Services

    func register(on accounts: AccountRouter) {
        accounts.group("magic/sites/:site_id/\(Child.segment)")
            .get(use: list)
            .post(use: create)
            .get(":child_id", use: get)
            .put(":child_id") { try await update($0, $1, replace: true) }
            .patch(":child_id") { try await update($0, $1, replace: false) }
            .delete(":child_id", use: delete)
    }

    private func list(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, siteID) = (try context.account, try context.path("site_id"))
        let items = try await services.store.writer.read { db in
            _ = try SiteStore.require(db: db, account: account, id: siteID)
            return try Child.table.list(Child.self, db: db, account: account, site: siteID)
        }
        return try JSONResponse.ok(items)
    }

    private func get(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, siteID, id) = (try context.account, try context.path("site_id"), try context.path("child_id"))
        let item = try await services.store.writer.read { db in
            _ = try SiteStore.require(db: db, account: account, id: siteID)
            return try requireChild(db: db, account: account, site: siteID, id: id)
        }
        return try JSONResponse.ok(item)
    }

    private func create(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, siteID) = (try context.account, try context.path("site_id"))
        var body = try await services.body.decode(Child.self, from: request)
        body.id = Identifier.make()
        body.assign(site: siteID)
        let draft = body
        let catalog = services.catalog
        let created = try await services.store.writer.write { db in
            let scope = SiteScope(db: db, account: account, site: try SiteStore.require(db: db, account: account, id: siteID))
            let value = try Child.prepare(draft, scope: scope, existing: nil)
            try Child.checkName(value, scope: scope, existing: nil)
            try Child.table.insert(value, db: db, account: account, site: siteID, id: value.id!, name: value.name)
            // LAN prefixes are part of the resource catalog; AUTO catalog syncs follow them.
            try CatalogSyncRunner.catalogDidChange(db: db, account: account, catalog: catalog)
            return value
        }
        return Child.createReturnsList ? try JSONResponse.ok([created]) : try JSONResponse.ok(created)
    }

    private func update(_ request: Request, _ context: MockRequestContext, replace: Bool) async throws -> Response {
        let (account, siteID, id) = (try context.account, try context.path("site_id"), try context.path("child_id"))
        let body = try await services.body.decode(Child.self, from: request)
        let catalog = services.catalog
        let updated = try await services.store.writer.write { db in
            let scope = SiteScope(db: db, account: account, site: try SiteStore.require(db: db, account: account, id: siteID))
            let existing = try requireChild(db: db, account: account, site: siteID, id: id)
            var value = replace ? existing.replaced(with: body) : existing.merged(with: body)
            value.id = id
            value.assign(site: siteID)
            value = try Child.prepare(value, scope: scope, existing: id)
            try Child.checkName(value, scope: scope, existing: id)
            try Child.table.update(value, db: db, id: id, name: value.name)
            try CatalogSyncRunner.catalogDidChange(db: db, account: account, catalog: catalog)
            return value
        }
        return try JSONResponse.ok(updated)
    }

    private func delete(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, siteID, id) = (try context.account, try context.path("site_id"), try context.path("child_id"))
        let catalog = services.catalog
        let deleted = try await services.store.writer.write { db in
            let scope = SiteScope(db: db, account: account, site: try SiteStore.require(db: db, account: account, id: siteID))
            let existing = try requireChild(db: db, account: account, site: siteID, id: id)
            try Child.checkDelete(id: id, scope: scope)
            try Child.table.delete(db: db, id: id)
            try CatalogSyncRunner.catalogDidChange(db: db, account: account, catalog: catalog)
            return existing
        }
        return try JSONResponse.ok(deleted)
    }

    private func requireChild(db: SQLSession, account: String, site: String, id: String) throws -> Child {
        guard let value = try Child.table.fetch(Child.self, db: db, account: account, site: site, id: id) else {
            throw APIError.notFound(Child.noun, id)
        }
        return value
    }
}
