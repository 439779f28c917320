// Site app configurations as documented ("App Configuration"): a traffic decision for one app.

/// An app config: exactly one of `account_app_id` and `managed_app_id`; also the body of create, PUT, PATCH.
public struct AppConfig: Codable, Sendable, Equatable {
    public var id: String?
    public var accountAppId: String?
    public var managedAppId: String?
    /// Break traffic out to the app's endpoints directly.
    public var breakout: Bool?
    /// WAN ids to prefer, highest priority first; only for breakout rules.
    public var preferredWans: [String]?
    /// 0 is default, 1 is prioritized.
    public var priority: Int?
    public var siteId: String?

    public init(
        id: String? = nil, accountAppId: String? = nil, managedAppId: String? = nil, breakout: Bool? = nil,
        preferredWans: [String]? = nil, priority: Int? = nil, siteId: String? = nil
    ) {
        self.id = id
        self.accountAppId = accountAppId
        self.managedAppId = managedAppId
        self.breakout = breakout
        self.preferredWans = preferredWans
        self.priority = priority
        self.siteId = siteId
    }

    enum CodingKeys: String, CodingKey {
        case id, breakout, priority
        case accountAppId = "account_app_id"
        case managedAppId = "managed_app_id"
        case preferredWans = "preferred_wans"
        case siteId = "site_id"
    }
}
