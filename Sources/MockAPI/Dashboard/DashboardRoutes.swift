import Foundation
import Hummingbird

/// The fleet dashboard at `/`: sign-in with an API token (form, or `/?token=` exchanged at once for an HttpOnly
/// session cookie and dropped from the address bar), the page and its assets, and the JSON it reads
/// (docs/dashboard.md): every query is scoped to the session's account.
struct DashboardRoutes {
    let services: Services
    let sessions = DashboardSessions()
    /// Debian's libjs-chart.js, served from the mock (no CDN).
    static let chartJSPath = "/usr/share/javascript/chart.js/chart.min.js"
    static let api = "/dashboard/api"

    func register(on router: Router<MockRequestContext>) {
        router.get(RouterPath("/")) { try await root($0, $1) }
        router.post(RouterPath("/dashboard/login")) { try await login($0, $1) }
        router.post(RouterPath("/dashboard/logout")) { try await logout($0, $1) }
        router.get(RouterPath("/dashboard/assets/app.js")) { _, _ in Self.asset(DashboardAssets.script, type: "text/javascript; charset=utf-8") }
        router.get(RouterPath("/dashboard/assets/app.css")) { _, _ in Self.asset(DashboardAssets.style, type: "text/css; charset=utf-8") }
        router.get(RouterPath("/dashboard/assets/chart.js")) { _, _ in try Self.chartJS() }
        router.get(RouterPath("\(Self.api)/fleet")) { try await fleet($0, $1) }
        router.get(RouterPath("\(Self.api)/connectors/:connector_id/series")) { try await series($0, $1) }
        router.get(RouterPath("\(Self.api)/connectors/:connector_id/events")) { try await events($0, $1) }
        router.get(RouterPath("\(Self.api)/connectors/:connector_id/latest")) { try await latest($0, $1) }
        router.get(RouterPath("\(Self.api)/sites/:site_id")) { try await site($0, $1) }
    }

    // MARK: Sign-in

    private func root(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        if let token = request.uri.queryParameters.get("token") {
            return try await signIn(token: token)
        }
        guard principal(request) != nil else { return Self.page(DashboardAssets.loginPage, status: .ok) }
        return Self.page(DashboardAssets.appPage, status: .ok)
    }

    private func login(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let body = String(buffer: try await services.body.bytes(request))
        let token = Self.formValue("token", in: body) ?? ""
        return try await signIn(token: token)
    }

    /// A valid token becomes a session cookie and a redirect to `/` (so the token leaves the address bar and
    /// history); an invalid one the login page again with a message, status 401.
    private func signIn(token: String) async throws -> Response {
        let trimmed = token.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 512, let principal = try await services.store.principal(token: trimmed) else {
            return Self.page(DashboardAssets.loginPage.replacingOccurrences(of: "<!--error-->", with: #"<p class="error" role="alert">That token is not valid for any account.</p>"#), status: .unauthorized)
        }
        let id = sessions.open(principal)
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.headers[.setCookie] = "\(DashboardSessions.cookieName)=\(id); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(Int(DashboardSessions.lifetime))"
        response.headers[.cacheControl] = "no-store"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        return response
    }

    private func logout(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        if let id = request.cookies[DashboardSessions.cookieName]?.value { sessions.close(id) }
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.headers[.setCookie] = "\(DashboardSessions.cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
        return response
    }

    private func principal(_ request: Request) -> Principal? {
        guard let id = request.cookies[DashboardSessions.cookieName]?.value else { return nil }
        return sessions.principal(id)
    }

    private func requirePrincipal(_ request: Request) throws -> Principal {
        guard let principal = principal(request) else {
            throw APIError(status: .unauthorized, code: ErrorCode.unauthenticated, message: "sign in to the dashboard first (session missing or expired)")
        }
        return principal
    }

    // MARK: JSON

    private func fleet(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try requirePrincipal(request).accountID
        let now = Date().timeIntervalSince1970
        let fleet = try await services.store.writer.read { db in try DashboardQueries.fleet(db: db, account: account, now: now) }
        // The ETag covers what the rows show, not `now` or the heartbeat ages, so an unchanged fleet answers 304;
        // built from the fields directly (encoding the fleet twice cost a third of the request at 10,000 rows).
        var key = ""
        key.reserveCapacity(fleet.connectors.count * 80)
        for row in fleet.connectors {
            key += "\(row.id)|\(row.status)|\(row.version ?? "")|\(row.activated)|\(row.siteId ?? "")|\(row.siteName ?? "")|\(row.haRole)|"
            key += "\(row.haState ?? "")|\(row.tunnels)|\(row.tunnelsUnhealthy)|\(row.lastSnapshot ?? 0)\n"
        }
        let tag = Self.etag(Data(key.utf8))
        return try Self.conditional(request, tag: tag) { try JSONResponse.ok(fleet) }
    }

    private func series(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try requirePrincipal(request).accountID
        let connector = try context.path("connector_id")
        let window = request.uri.queryParameters.get("window") ?? "1h"
        guard DashboardQueries.windows[window] != nil else {
            throw APIError.query("window", "'\(window)' is not a window; use one of 15m, 1h, 24h, 7d")
        }
        let to = try Self.time(request, "to") ?? Date().timeIntervalSince1970
        let series = try await services.store.writer.read { db in
            let seq = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            return try DashboardQueries.series(db: db, seq: seq, window: window, to: to)
        }
        let body = try JSONResponse.encoder.encode(series.points.count) + (try JSONResponse.encoder.encode(series.points.last?.t ?? 0))
        return try Self.conditional(request, tag: Self.etag(body + Data(window.utf8))) { try JSONResponse.ok(series) }
    }

    private func events(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try requirePrincipal(request).accountID
        let connector = try context.path("connector_id")
        let window = request.uri.queryParameters.get("window") ?? "1h"
        guard let span = DashboardQueries.windows[window] else {
            throw APIError.query("window", "'\(window)' is not a window; use one of 15m, 1h, 24h, 7d")
        }
        let to = try Self.time(request, "to") ?? Date().timeIntervalSince1970
        let items = try await services.store.writer.read { db in
            let seq = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            return try DashboardQueries.events(db: db, seq: seq, from: to - span, to: to, limit: 500)
        }
        return try Self.conditional(request, tag: Self.etag(try JSONResponse.encoder.encode(items))) { try JSONResponse.ok(items) }
    }

    private func latest(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try requirePrincipal(request).accountID
        let connector = try context.path("connector_id")
        let body = try await services.store.writer.read { db in
            let seq = try ConnectorStore.requireSeq(db: db, account: account, id: connector)
            return try DashboardQueries.latestSnapshot(db: db, seq: seq)
        }
        let json = body ?? "null"
        return try Self.conditional(request, tag: Self.etag(Data(json.utf8))) { JSONResponse.raw(resultJSON: json.utf8) }
    }

    private func site(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try requirePrincipal(request).accountID
        let id = try context.path("site_id")
        let json = try await services.store.writer.read { db in try DashboardQueries.site(db: db, account: account, id: id) }
        guard let json else { throw APIError.notFound("site", id) }
        return try Self.conditional(request, tag: Self.etag(Data(json.utf8))) { JSONResponse.raw(resultJSON: json.utf8) }
    }

    // MARK: Helpers

    private static func time(_ request: Request, _ name: String) throws -> Double? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let value = Double(text), value.isFinite else { throw APIError.query(name, "'\(text)' is not a time in seconds") }
        return value
    }

    /// 304 when the browser already holds this version (polling costs a header, not the body).
    private static func conditional(_ request: Request, tag: String, _ make: () throws -> Response) throws -> Response {
        if request.headers[.ifNoneMatch] == tag {
            return Response(status: .notModified, headers: [.eTag: tag, .cacheControl: "no-cache"])
        }
        var response = try make()
        response.headers[.eTag] = tag
        response.headers[.cacheControl] = "no-cache"
        return response
    }

    /// FNV-1a over the bytes: a cheap version tag, not a security measure.
    static func etag(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return "\"\(String(hash, radix: 16))\""
    }

    private static func page(_ html: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .init("Content-Security-Policy")!: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
                .init("Referrer-Policy")!: "no-referrer",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html))
        )
    }

    private static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    private static func chartJS() throws -> Response {
        guard let data = FileManager.default.contents(atPath: chartJSPath) else {
            throw APIError(status: .notFound, code: ErrorCode.unknownRoute, message: "Chart.js is not installed (Debian package libjs-chart.js; scripts/install-deps installs it)")
        }
        return Response(
            status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=86400"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// One field of an application/x-www-form-urlencoded body.
    static func formValue(_ name: String, in body: String) -> String? {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name else { continue }
            return String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        return nil
    }
}
