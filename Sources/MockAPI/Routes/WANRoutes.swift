import ConnectorAPI

/// WANs: `/accounts/:account_id/magic/sites/:site_id/wans[/:wan_id]`.
extension WAN: SiteChild {
    static var table: DocumentTable { .wans }
    static var noun: String { "WAN" }
    static var segment: String { "wans" }
    static var createReturnsList: Bool { true }

    mutating func assign(site: String) { siteId = site }

    func merged(with patch: WAN) -> WAN {
        var wan = self
        wan.healthCheckRate = patch.healthCheckRate ?? healthCheckRate
        wan.name = patch.name ?? name
        wan.physport = patch.physport ?? physport
        wan.priority = patch.priority ?? priority
        wan.staticAddressing = patch.staticAddressing ?? staticAddressing
        wan.vlanTag = patch.vlanTag ?? vlanTag
        return wan
    }

    func replaced(with body: WAN) -> WAN {
        var wan = body
        wan.physport = body.physport ?? physport
        return wan
    }

    static func prepare(_ value: WAN, scope: SiteScope, existing: String?) throws -> WAN {
        var wan = value
        wan.vlanTag = wan.vlanTag ?? 0
        wan.healthCheckRate = wan.healthCheckRate ?? "mid"
        try WANValidation.validate(wan, haSite: scope.site.haMode == true)
        let others = try table.list(WAN.self, db: scope.db, account: scope.account, site: scope.siteID).filter { $0.id != existing }
        if let other = others.first(where: { $0.physport == wan.physport && ($0.vlanTag ?? 0) == wan.vlanTag }) {
            throw APIError.conflict(
                "vlan_tag: WAN '\(other.id ?? "")' already uses physport \(wan.physport ?? 0) with VLAN \(wan.vlanTag ?? 0) in this site"
            )
        }
        return wan
    }

    static func checkDelete(id: String, scope: SiteScope) throws {
        let configs = try AppConfig.table.list(AppConfig.self, db: scope.db, account: scope.account, site: scope.siteID)
        if let config = configs.first(where: { ($0.preferredWans ?? []).contains(id) }) {
            throw APIError.conflict("WAN '\(id)' is preferred by app config '\(config.id ?? "")'; change the app config first")
        }
    }
}
