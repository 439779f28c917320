import ConnectorAPI

/// ACLs: `/accounts/:account_id/magic/sites/:site_id/acls[/:acl_id]`.
extension ACL: SiteChild {
    static var table: DocumentTable { .acls }
    static var noun: String { "ACL" }
    static var segment: String { "acls" }

    mutating func assign(site: String) {}

    func merged(with patch: ACL) -> ACL {
        var acl = self
        acl.description = patch.description ?? description
        acl.forwardLocally = patch.forwardLocally ?? forwardLocally
        acl.lan1 = patch.lan1 ?? lan1
        acl.lan2 = patch.lan2 ?? lan2
        acl.name = patch.name ?? name
        acl.protocols = patch.protocols ?? protocols
        acl.unidirectional = patch.unidirectional ?? unidirectional
        return acl
    }

    func replaced(with body: ACL) -> ACL {
        var acl = body
        acl.name = body.name ?? name
        acl.lan1 = body.lan1 ?? lan1
        acl.lan2 = body.lan2 ?? lan2
        return acl
    }

    static func prepare(_ value: ACL, scope: SiteScope, existing: String?) throws -> ACL {
        let lans = try LAN.table.list(LAN.self, db: scope.db, account: scope.account, site: scope.siteID)
        var acl = try ACLValidation.validate(value, lans: lans)
        acl.forwardLocally = acl.forwardLocally ?? false
        acl.unidirectional = acl.unidirectional ?? false
        return acl
    }
}
