import ConnectorAPI
import Crypto
import Foundation
import Hummingbird

/// What an operator asks of a device (a mock-api addition), read by the agent at check-in; `result` is null
/// when nothing is asked.
///
/// - `GET/PUT/DELETE .../connectors/{id}/upgrade` `{version, url, sha256}`: the version to run.
/// - `GET/PUT .../connectors/{id}/upgrade/bundle`: bundle bytes served by the mock itself (PUT any body; the
///   answer gives its `sha256` and the `url` to offer).
/// - `GET/PUT/DELETE .../connectors/{id}/cloudflared_tunnel` `{tunnel_id, token, ingress?}`.
struct DirectiveRoutes {
    let services: Services

    func register(on accounts: AccountRouter) {
        accounts.group("magic/connectors/:connector_id")
            .get("upgrade") { try await get(UpgradeOffer.self, .upgradeOffers, $0, $1) }
            .put("upgrade", use: putOffer)
            .delete("upgrade") { try await delete(.upgradeOffers, $0, $1) }
            .get("upgrade/bundle", use: getBundle)
            .put("upgrade/bundle", use: putBundle)
            .get("cloudflared_tunnel") { try await get(CloudflaredTunnelConfig.self, .cloudflaredTunnels, $0, $1) }
            .put("cloudflared_tunnel", use: putTunnel)
            .delete("cloudflared_tunnel") { try await delete(.cloudflaredTunnels, $0, $1) }
    }

    private func get<T: Codable & Sendable>(_ type: T.Type, _ table: DirectiveStore.Table, _ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let value = try await services.store.writer.read { db in
            try DirectiveStore.get(T.self, db: db, table: table, seq: try ConnectorStore.requireSeq(db: db, account: account, id: connector))
        }
        guard let value else { return JSONResponse.raw(resultJSON: "null".utf8) }
        return try JSONResponse.ok(value)
    }

    private func delete(_ table: DirectiveStore.Table, _ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        try await services.store.writer.write { db in
            _ = try DirectiveStore.delete(db: db, table: table, seq: try ConnectorStore.requireSeq(db: db, account: account, id: connector))
        }
        return JSONResponse.raw(resultJSON: "null".utf8)
    }

    private func putOffer(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let offer = try await services.body.decode(UpgradeOffer.self, from: request)
        if let problem = VersionName.problem(offer.version) { throw APIError.invalid("version", problem) }
        // The agent logs and fetches it: one printable line, nothing Foundation would quietly percent-encode.
        if let problem = TextRules.nameProblem(offer.url, maximumLength: 2048) { throw APIError.invalid("url", problem) }
        guard !offer.url.contains(" "), let url = URL(string: offer.url), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw APIError.invalid("url", "must be an http(s) URL")
        }
        guard offer.sha256.count == 64, offer.sha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw APIError.invalid("sha256", "must be 64 lowercase hex digits")
        }
        try await services.store.writer.write { db in
            try DirectiveStore.put(offer, db: db, table: .upgradeOffers, seq: try ConnectorStore.requireSeq(db: db, account: account, id: connector))
        }
        return try JSONResponse.ok(offer)
    }

    private func putBundle(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let bytes = Data(buffer: try await services.body.bytes(request))
        guard !bytes.isEmpty else { throw APIError.malformedJSON("the body is empty; PUT the bundle's bytes") }
        let sha256 = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        try await services.store.writer.write { db in
            try DirectiveStore.putBundle(db: db, seq: try ConnectorStore.requireSeq(db: db, account: account, id: connector), bytes: bytes, sha256: sha256)
        }
        let path = "\(apiBase)/accounts/\(account)/magic/connectors/\(connector)/upgrade/bundle"
        return try JSONResponse.ok(["sha256": sha256, "path": path, "size": String(bytes.count)])
    }

    private func getBundle(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let bytes = try await services.store.writer.read { db in
            try DirectiveStore.bundle(db: db, seq: try ConnectorStore.requireSeq(db: db, account: account, id: connector))
        }
        guard let bytes else { throw APIError.notFound("upgrade bundle of connector", connector) }
        return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private func putTunnel(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, connector) = try context.accountAndConnector
        let tunnel = try await services.body.decode(CloudflaredTunnelConfig.self, from: request)
        guard UUID(uuidString: tunnel.tunnelId) != nil else { throw APIError.invalid("tunnel_id", "must be a UUID") }
        guard !tunnel.token.isEmpty else { throw APIError.invalid("token", "must not be empty") }
        // The agent writes these into cloudflared's config and token files: printable, one line, no spaces.
        guard tunnel.token.utf8.count <= 4096, tunnel.token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw APIError.invalid("token", "must be at most 4096 printable ASCII characters without spaces")
        }
        for (index, rule) in (tunnel.ingress ?? []).enumerated() {
            if let hostname = rule.hostname {
                if let problem = TextRules.nameProblem(hostname) { throw APIError.invalid("ingress[\(index)].hostname", problem) }
                if hostname.contains(" ") { throw APIError.invalid("ingress[\(index)].hostname", "must not contain spaces") }
            }
            if let problem = TextRules.nameProblem(rule.service, maximumLength: 2048) {
                throw APIError.invalid("ingress[\(index)].service", problem)
            }
            guard !rule.service.contains(" "), URL(string: rule.service)?.scheme != nil else {
                throw APIError.invalid("ingress[\(index)].service", "must be a URL such as http://10.0.1.10:8080")
            }
        }
        try await services.store.writer.write { db in
            try DirectiveStore.put(tunnel, db: db, table: .cloudflaredTunnels, seq: try ConnectorStore.requireSeq(db: db, account: account, id: connector))
        }
        return try JSONResponse.ok(tunnel)
    }
}
