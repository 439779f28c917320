import ConnectorAPI

/// LANs: `/accounts/:account_id/magic/sites/:site_id/lans[/:lan_id]`.
extension LAN: SiteChild {
    static var table: DocumentTable { .lans }
    static var noun: String { "LAN" }
    static var segment: String { "lans" }
    static var createReturnsList: Bool { true }

    mutating func assign(site: String) { siteId = site }

    func merged(with patch: LAN) -> LAN {
        var lan = self
        lan.bondId = patch.bondId ?? bondId
        lan.haLink = patch.haLink ?? haLink
        lan.isBreakout = patch.isBreakout ?? isBreakout
        lan.isPrioritized = patch.isPrioritized ?? isPrioritized
        lan.name = patch.name ?? name
        lan.nat = patch.nat ?? nat
        lan.physport = patch.physport ?? physport
        lan.routedSubnets = patch.routedSubnets ?? routedSubnets
        lan.staticAddressing = patch.staticAddressing ?? staticAddressing
        lan.vlanTag = patch.vlanTag ?? vlanTag
        return lan
    }

    func replaced(with body: LAN) -> LAN { body }

    static func prepare(_ value: LAN, scope: SiteScope, existing: String?) throws -> LAN {
        var lan = value
        lan.vlanTag = lan.vlanTag ?? 0
        try LANValidation.validate(lan, haSite: scope.site.haMode == true)
        let others = try table.list(LAN.self, db: scope.db, account: scope.account, site: scope.siteID).filter { $0.id != existing }
        if lan.haLink == true, let other = others.first(where: { $0.haLink == true }) {
            throw APIError.conflict("ha_link: LAN '\(other.id ?? "")' is already the HA link of this site; only one LAN can be")
        }
        if let port = lan.physport,
            let other = others.first(where: { $0.physport == port && ($0.vlanTag ?? 0) == lan.vlanTag })
        {
            throw APIError.conflict(
                "vlan_tag: LAN '\(other.id ?? "")' already uses physport \(port) with VLAN \(lan.vlanTag ?? 0) in this site"
            )
        }
        return lan
    }

    static func checkDelete(id: String, scope: SiteScope) throws {
        let acls = try ACL.table.list(ACL.self, db: scope.db, account: scope.account, site: scope.siteID)
        if let acl = acls.first(where: { $0.lan1?.lanId == id || $0.lan2?.lanId == id }) {
            throw APIError.conflict("LAN '\(id)' is used by ACL '\(acl.id ?? "")'; delete or change the ACL first")
        }
    }
}
