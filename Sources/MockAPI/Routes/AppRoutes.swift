import ConnectorAPI
import Hummingbird

/// Custom apps: `/accounts/:account_id/magic/apps[/:account_app_id]`. As documented, results are the app itself
/// (a list of apps for GET), not wrapped in a key. Only the account's own apps are listed: the mock has no
/// catalogue of Cloudflare's managed apps.
extension AccountApp: UntimedMagicObject {
    static var family: MagicFamily {
        MagicFamily(
            segment: "apps", key: "app", noun: "app",
            documentationURL: "https://developers.cloudflare.com/api/resources/magic_transit/subresources/apps/"
        )
    }

    var missingRequiredField: String? {
        if name == nil { return "name" }
        return type == nil ? "type" : nil
    }

    /// PATCH: fields present replace ours.
    func merged(with patch: AccountApp) -> AccountApp {
        var app = self
        app.name = patch.name ?? name
        app.type = patch.type ?? type
        app.hostnames = patch.hostnames ?? hostnames
        app.ipSubnets = patch.ipSubnets ?? ipSubnets
        app.sourceSubnets = patch.sourceSubnets ?? sourceSubnets
        return app
    }

    /// PUT replaces the app: lists it omits are emptied. `name` and `type` are optional in a PUT body (seed 003)
    /// but an app always has them, so omitted ones are kept.
    var replacement: AccountApp {
        var app = self
        app.hostnames = hostnames ?? []
        app.ipSubnets = ipSubnets ?? []
        app.sourceSubnets = sourceSubnets ?? []
        return app
    }

    static func prepare(_ value: AccountApp, scope: AccountScope, existing: AccountApp?) throws -> AccountApp {
        try AppValidation.validate(value)
        return value
    }

    /// 409 while an app config of any site of the account names the app: deleting it would leave the config
    /// pointing at nothing (delete or change the config first).
    static func checkDelete(_ value: AccountApp, scope: AccountScope) throws {
        let configs = try AppConfig.table.list(AppConfig.self, db: scope.db, account: scope.account)
        if let config = configs.first(where: { $0.accountAppId != nil && $0.accountAppId == value.id }) {
            throw APIError.conflict(
                "app '\(value.id ?? "")' is used by app config '\(config.id ?? "")' of site '\(config.siteId ?? "")'; change or delete the app config first"
            )
        }
    }
}

extension MagicObjectRoutes where Object == AccountApp {
    /// list, create, PUT, PATCH and delete (the seed has no GET of one app and no bulk PUT).
    func registerApps(on accounts: AccountRouter) {
        let apps = group(on: accounts)
        apps.get { request, context -> Response in
            let account = try context.account
            return try JSONResponse.ok(try await services.store.writer.read { db in try MagicObjectStore.list(AccountApp.self, db: db, account: account) })
        }
        apps.post { request, context -> Response in
            let account = try context.account
            let body = try await services.body.decode(AccountApp.self, from: request)
            if let field = body.missingRequiredField { throw APIError.missing(field) }
            return try JSONResponse.ok(try await change(request, account: account) { scope in try Self.insert(body, scope: scope) })
        }
        apps.put(":object_id") { request, context in try await modify(request, context) { $0.replacement } }
        apps.patch(":object_id") { request, context in try await modify(request, context) { $0 } }
        apps.delete(":object_id") { request, context -> Response in
            let (account, id) = (try context.account, try context.path("object_id"))
            return try JSONResponse.ok(try await change(request, account: account) { scope in try Self.delete(id: id, scope: scope) })
        }
    }

    /// PUT and PATCH: `patch` turns the body into the fields that replace the stored app's.
    private func modify(
        _ request: Request, _ context: MockRequestContext, _ patch: @escaping @Sendable (AccountApp) -> AccountApp
    ) async throws -> Response {
        let (account, id) = (try context.account, try context.path("object_id"))
        let body = try await services.body.decode(AccountApp.self, from: request)
        return try JSONResponse.ok(try await change(request, account: account) { scope in try Self.update(id: id, with: patch(body), scope: scope) })
    }
}
