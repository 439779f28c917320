import ConnectorAPI

/// Rules of an app config: one app reference, priority 0 or 1, preferred WANs only for breakout.
enum AppConfigValidation {
    /// `wanIDs`: the WANs of the config's site.
    static func validate(_ config: AppConfig, wanIDs: Set<String>) throws {
        switch (config.accountAppId, config.managedAppId) {
        case (nil, nil):
            throw APIError.invalid("account_app_id", "give exactly one of account_app_id and managed_app_id (none given)")
        case (.some, .some):
            throw APIError.invalid("managed_app_id", "give exactly one of account_app_id and managed_app_id (both given)")
        default:
            try Rules.id(config.accountAppId, "account_app_id")
            try Rules.id(config.managedAppId, "managed_app_id")
        }
        if let priority = config.priority, !(0...1).contains(priority) {
            throw APIError.invalid("priority", "\(priority) is not supported; use 0 (default) or 1 (prioritized)")
        }
        if let wans = config.preferredWans, !wans.isEmpty {
            guard config.breakout == true else {
                throw APIError.invalid("preferred_wans", "only breakout rules (breakout: true) can prefer WANs")
            }
            for (index, wan) in wans.enumerated() where !wanIDs.contains(wan) {
                throw APIError.invalid("preferred_wans[\(index)]", "no WAN \(Rules.quoted(wan)) in this site")
            }
        }
    }
}
