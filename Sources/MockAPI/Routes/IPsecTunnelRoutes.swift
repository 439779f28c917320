import ConnectorAPI
import Hummingbird
import SiteRules

/// IPsec tunnels: `/accounts/:account_id/magic/ipsec_tunnels[/:ipsec_tunnel_id]` and `.../psk_generate`. The
/// `psk` is write-only: kept in `ipsec_psks`, never in the document, a response or a log.
extension IPsecTunnel: TunnelObject {
    static var family: MagicFamily {
        MagicFamily(
            segment: "ipsec_tunnels", key: "ipsec_tunnel", noun: "IPsec tunnel",
            documentationURL: "https://developers.cloudflare.com/api/resources/magic_transit/subresources/ipsec_tunnels/"
        )
    }
    /// Printable ASCII without spaces, quotes or backslashes: the lab's edge writes the key into a quoted secret.
    static let pskLengths = 8...128
    static let fqdnSuffix = ".custom.ipsec.cloudflare.com"

    var missingRequiredField: String? {
        if cloudflareEndpoint == nil { return "cloudflare_endpoint" }
        if interfaceAddress == nil { return "interface_address" }
        return name == nil ? "name" : nil
    }

    func merged(with patch: IPsecTunnel) -> IPsecTunnel {
        var tunnel = self
        tunnel.cloudflareEndpoint = patch.cloudflareEndpoint ?? cloudflareEndpoint
        tunnel.interfaceAddress = patch.interfaceAddress ?? interfaceAddress
        tunnel.interfaceAddress6 = patch.interfaceAddress6 ?? interfaceAddress6
        tunnel.name = patch.name ?? name
        tunnel.allowNullCipher = patch.allowNullCipher ?? allowNullCipher
        tunnel.automaticReturnRouting = patch.automaticReturnRouting ?? automaticReturnRouting
        tunnel.bgp = patch.bgp ?? bgp
        tunnel.customRemoteIdentities = patch.customRemoteIdentities ?? customRemoteIdentities
        tunnel.customerEndpoint = patch.customerEndpoint ?? customerEndpoint
        tunnel.description = patch.description ?? description
        tunnel.healthCheck = patch.healthCheck ?? healthCheck
        tunnel.psk = patch.psk
        tunnel.replayProtection = patch.replayProtection ?? replayProtection
        return tunnel
    }

    static func prepare(_ value: IPsecTunnel, scope: AccountScope, existing: IPsecTunnel?) throws -> IPsecTunnel {
        var tunnel = value
        try TunnelValidation.prepare(&tunnel, problems: SiteRulebook.problems(of: tunnel), hasDirection: true)
        if let psk = tunnel.psk { try checkPSK(psk) }
        try checkFQDN(tunnel, scope: scope)
        tunnel.allowNullCipher = tunnel.allowNullCipher ?? false
        tunnel.replayProtection = tunnel.replayProtection ?? false
        tunnel.bgpStatus = nil
        // A new tunnel always gets a key (the given one or a generated one), so it always has metadata.
        if tunnel.psk != nil || existing == nil { tunnel.pskMetadata = PSKMetadata(lastGeneratedOn: tunnel.modifiedOn) }
        try TunnelValidation.checkAccount(tunnel, scope: scope)
        return tunnel
    }

    /// The message never repeats the key.
    static func checkPSK(_ psk: String) throws {
        let allowed = psk.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) && $0 != "\"" && $0 != "\\" }
        guard allowed, pskLengths.contains(psk.unicodeScalars.count) else {
            throw APIError.invalid(
                "psk", "must be \(pskLengths.lowerBound)-\(pskLengths.upperBound) printable ASCII characters without spaces, '\"' or '\\'"
            )
        }
    }

    /// `<name>.<account>.custom.ipsec.cloudflare.com`; two tunnels with the same one need different Cloudflare endpoints.
    static func checkFQDN(_ tunnel: IPsecTunnel, scope: AccountScope) throws {
        guard let fqdn = tunnel.customRemoteIdentities?.fqdnId else { return }
        let labels = fqdn.dropLast(fqdnSuffix.count).split(separator: ".", omittingEmptySubsequences: false)
        let wellFormed = fqdn.hasSuffix(fqdnSuffix) && fqdn.utf8.count <= 253 && labels.allSatisfy { label in
            (1...63).contains(label.count) && label.unicodeScalars.allSatisfy { TextRules.isIDCharacter($0) && $0 != "_" }
        }
        guard wellFormed else {
            throw APIError.invalid("custom_remote_identities.fqdn_id", "\(Rules.quoted(fqdn)) is not a name under \(fqdnSuffix.dropFirst())")
        }
        let others = try MagicObjectStore.list(IPsecTunnel.self, db: scope.db, account: scope.account)
        if let other = others.first(where: {
            $0.id != tunnel.id && $0.customRemoteIdentities?.fqdnId == fqdn && $0.cloudflareEndpoint == tunnel.cloudflareEndpoint
        }) {
            throw APIError.conflict("custom_remote_identities.fqdn_id: IPsec tunnel '\(other.id ?? "")' has the same FQDN id and cloudflare_endpoint")
        }
    }

    static func checkDelete(_ value: IPsecTunnel, scope: AccountScope) throws {
        try TunnelValidation.checkDelete(value, scope: scope)
    }

    /// Never the key; the health check target defaults to the customer endpoint.
    func served(objectTargets: Bool) -> IPsecTunnel {
        var tunnel = self
        tunnel.psk = nil
        tunnel.healthCheck = TunnelServing.healthCheck(healthCheck, defaultTarget: customerEndpoint, objectTargets: objectTargets)
        tunnel.bgpStatus = TunnelServing.bgpStatus(bgp, since: modifiedOn)
        return tunnel
    }

    mutating func takeSecret() -> String? {
        defer { psk = nil }
        return psk
    }

    /// A new tunnel without a key gets a generated one, so the lab's edge can always authenticate it.
    static func storeSecret(_ secret: String?, id: String, created: Bool, db: SQLSession) throws {
        guard let psk = secret ?? (created ? IPsecPSKStore.generate() : nil) else { return }
        try IPsecPSKStore.save(psk, tunnel: id, db: db)
    }
}

/// The answer of psk_generate: the only response that ever carries a PSK.
struct GeneratedPSK: Encodable, Sendable {
    let ipsecTunnelID: String
    let psk: String
    let pskMetadata: PSKMetadata

    enum CodingKeys: String, CodingKey {
        case psk
        case ipsecTunnelID = "ipsec_tunnel_id"
        case pskMetadata = "psk_metadata"
    }
}

extension MagicObjectRoutes where Object == IPsecTunnel {
    /// POST `.../ipsec_tunnels/:id/psk_generate`: a fresh key, returned once; its body (documented as unknown) is
    /// not read.
    func registerPSKGenerate(on accounts: AccountRouter) {
        group(on: accounts).post(":object_id/psk_generate") { request, context -> Response in
            let (account, id) = (try context.account, try context.path("object_id"))
            let generated = try await change(request, account: account) { scope in
                var tunnel = try MagicObjectStore.require(IPsecTunnel.self, db: scope.db, account: account, id: id)
                let metadata = PSKMetadata(lastGeneratedOn: MockStore.timestamp())
                tunnel.pskMetadata = metadata
                let psk = IPsecPSKStore.generate()
                try MagicObjectStore.save(tunnel, db: scope.db, account: account)
                try IPsecPSKStore.save(psk, tunnel: id, db: scope.db)
                return GeneratedPSK(ipsecTunnelID: id, psk: psk, pskMetadata: metadata)
            }
            return try JSONResponse.ok(generated)
        }
    }
}
