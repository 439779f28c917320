import ConnectorAPI
import SiteRules

/// Interconnects: `/accounts/:account_id/magic/cf_interconnects[/:cf_interconnect_id]`, list, get and PUT
/// (single and bulk) as documented. Cloudflare provisions them, so the API neither creates nor deletes them:
/// the mock starts with none and `MockStore.addInterconnect` seeds some (tests, a lab).
extension CFInterconnect: TunnelObject {
    static var family: MagicFamily {
        MagicFamily(
            segment: "cf_interconnects", key: "interconnect", noun: "interconnect",
            documentationURL: "https://developers.cloudflare.com/api/resources/magic_transit/subresources/cf_interconnects/"
        )
    }
    static var clientCreated: Bool { false }

    /// PUT bodies may leave out anything.
    var missingRequiredField: String? { nil }

    /// `colo_name` and `virtual_port_reservation_id` are Cloudflare's: a body cannot change them.
    func merged(with patch: CFInterconnect) -> CFInterconnect {
        var interconnect = self
        interconnect.automaticReturnRouting = patch.automaticReturnRouting ?? automaticReturnRouting
        interconnect.description = patch.description ?? description
        interconnect.gre = patch.gre ?? gre
        interconnect.healthCheck = patch.healthCheck ?? healthCheck
        interconnect.interfaceAddress = patch.interfaceAddress ?? interfaceAddress
        interconnect.interfaceAddress6 = patch.interfaceAddress6 ?? interfaceAddress6
        interconnect.mtu = patch.mtu ?? mtu
        interconnect.name = patch.name ?? name
        return interconnect
    }

    static func prepare(_ value: CFInterconnect, scope: AccountScope, existing: CFInterconnect?) throws -> CFInterconnect {
        var interconnect = value
        try TunnelValidation.prepare(
            &interconnect, problems: SiteRulebook.problems(of: interconnect), hasDirection: false)
        try TunnelValidation.checkAccount(interconnect, scope: scope)
        return interconnect
    }

    /// An interconnect has no customer endpoint: the health check target defaults to the customer's end of the
    /// interface prefix.
    func served(objectTargets: Bool) -> CFInterconnect {
        var interconnect = self
        let peer = TunnelAddressing(interfaceAddress).map { AddressField(value: $0.customer) }
        interconnect.healthCheck = TunnelServing.healthCheck(healthCheck, defaultTarget: peer, objectTargets: objectTargets)
        return interconnect
    }
}

extension MockStore {
    /// Adds an interconnect to `account` as Cloudflare would provision one (the API cannot), validated like a PUT;
    /// `id` is generated when nil. Returns it as stored.
    @discardableResult
    public func addInterconnect(_ interconnect: CFInterconnect, account: String) throws -> CFInterconnect {
        try writer.write { db in
            var value = interconnect
            value.id = value.id ?? Identifier.make()
            value.createdOn = MockStore.timestamp()
            value.modifiedOn = value.createdOn
            try Rules.id(value.id, "id")
            return try MagicObjectRoutes<CFInterconnect>.store(value, existing: nil, scope: AccountScope(db: db, account: account))
        }
    }
}
