import ConnectorAPI

/// App configs: `/accounts/:account_id/magic/sites/:site_id/app_configs[/:app_config_id]`.
extension AppConfig: SiteChild {
    static var table: DocumentTable { .appConfigs }
    static var noun: String { "app config" }
    static var segment: String { "app_configs" }

    var name: String? { nil }

    mutating func assign(site: String) { siteId = site }

    func merged(with patch: AppConfig) -> AppConfig {
        var config = self
        if patch.accountAppId != nil || patch.managedAppId != nil {
            config.accountAppId = patch.accountAppId
            config.managedAppId = patch.managedAppId
        }
        config.breakout = patch.breakout ?? breakout
        config.preferredWans = patch.preferredWans ?? preferredWans
        config.priority = patch.priority ?? priority
        return config
    }

    func replaced(with body: AppConfig) -> AppConfig {
        var config = body
        if body.accountAppId == nil, body.managedAppId == nil {
            config.accountAppId = accountAppId
            config.managedAppId = managedAppId
        }
        return config
    }

    static func prepare(_ value: AppConfig, scope: SiteScope, existing: String?) throws -> AppConfig {
        let wans = try WAN.table.list(WAN.self, db: scope.db, account: scope.account, site: scope.siteID)
        try AppConfigValidation.validate(value, wanIDs: Set(wans.compactMap(\.id)))
        // A managed app is Cloudflare's (the mock has no catalogue of them); an account app must exist.
        if let app = value.accountAppId, try MagicObjectStore.fetch(AccountApp.self, db: scope.db, account: scope.account, id: app) == nil {
            throw APIError.invalid("account_app_id", "no app \(Rules.quoted(app)) in this account; create it first (POST /magic/apps)")
        }
        return value
    }
}
