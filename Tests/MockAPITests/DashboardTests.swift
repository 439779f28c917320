import ConnectorAPI
import Foundation
import Hummingbird
import Testing

/// The dashboard's sign-in and JSON endpoints through the router: token to HttpOnly cookie, account scoping, the
/// SQL-downsampled series (rates, counter resets), ETags.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct DashboardTests {
    /// A dashboard answer: `{success, result}`.
    struct Answer<Result: Decodable>: Decodable { let result: Result }

    struct Fleet: Decodable {
        struct Row: Decodable {
            let id: String
            let status: String
            let haRole: String?
            let haState: String?
            let siteName: String?
            let tunnels: Int?
            let tunnelsUnhealthy: Int?
            let lastSnapshot: Double?
        }
        let connectors: [Row]
        let counts: [String: Int]
    }

    struct Series: Decodable {
        struct Point: Decodable {
            let t: Double
            let cpuUtilisation: Double?
        }
        struct Interface: Decodable {
            let name: String
            let recvBitsPerSecond: Double?
        }
        struct Tunnel: Decodable { let probedMtu: Double? }
        let points: [Point]
        let interfaces: [Interface]
        let tunnels: [Tunnel]
    }

    struct EventRow: Decodable { let k: String }

    struct SiteDetail: Decodable {
        let wans: [JSONValue]
        let lans: [JSONValue]
        let acls: [JSONValue]
    }

    static func headers(_ pairs: [String: String]) -> HTTPFields { RouterClient.headers(pairs) }

    static func signIn(_ api: RouterClient, token: String = TestServer.readToken) async throws -> String {
        let response = try await api.request(.get, uri: "/?token=\(token)")
        try #require(response.status == .seeOther, "sign-in: \(response.status) \(response.text)")
        let cookie = try #require(response.headers[.setCookie])
        return String(cookie.prefix { $0 != ";" })
    }

    static func get(_ api: RouterClient, _ path: String, cookie: String, headers: [String: String] = [:]) async throws
        -> RouterResponse
    {
        try await api.request(
            .get, uri: "/dashboard/api\(path)", headers: Self.headers(headers.merging(["Cookie": cookie]) { $1 }))
    }

    static func result<Result: Decodable>(_ type: Result.Type, _ response: RouterResponse) throws -> Result {
        try JSONDecoder().decode(Answer<Result>.self, from: Data(buffer: response.body)).result
    }

    @Test(
        "/?token= becomes an HttpOnly SameSite cookie and a redirect to /, the token gone; a bad token the login page with 401"
    )
    func tokenExchange() async throws {
        try await withRouter { api in
            let login = try await api.request(.get, uri: "/")
            #expect(login.status == .ok)
            #expect(login.text.contains(#"name="token""#), "the login form")
            let response = try await api.request(.get, uri: "/?token=\(TestServer.readToken)")
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/")
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(!cookie.contains(TestServer.readToken) && !response.text.contains(TestServer.readToken))
            let app = try await api.request(
                .get, uri: "/", headers: Self.headers(["Cookie": String(cookie.prefix { $0 != ";" })]))
            #expect(app.text.contains("/dashboard/assets/app.js"), "signed in: the app page")
            let bad = try await api.request(.get, uri: "/?token=not-a-token")
            #expect(bad.status == .unauthorized)
            #expect(bad.headers[.setCookie] == nil)
            #expect(bad.text.contains("not valid"))
            let form = try await api.request(
                .post, uri: "/dashboard/login",
                headers: Self.headers(["Content-Type": "application/x-www-form-urlencoded"]),
                body: ByteBuffer(string: "token=\(TestServer.writeToken)")
            )
            #expect(form.status == .seeOther && form.headers[.setCookie]?.hasPrefix("vc_session=") == true)
            let noSession = try await api.request(.get, uri: "/dashboard/api/fleet")
            #expect(noSession.status == .unauthorized)
            #expect(noSession.text.contains(#""success":false"#))
            let forged = try await api.request(
                .get, uri: "/dashboard/api/fleet",
                headers: Self.headers(["Cookie": "vc_session=\(String(repeating: "0", count: 64))"]))
            #expect(forged.status == .unauthorized)
        }
    }

    @Test(
        "the fleet holds this account's connectors with status, site, HA role and tunnels, never another account's; ETag gives 304"
    )
    func fleet() async throws {
        try await withRouter { api in
            let seed = try await DashboardSeed.seed(api)
            let cookie = try await Self.signIn(api)
            let response = try await Self.get(api, "/fleet", cookie: cookie)
            #expect(response.status == .ok)
            #expect(!response.text.contains(seed.otherAccountConnector), "another account's connector in the fleet")
            let result = try Self.result(Fleet.self, response)
            let rows = result.connectors
            #expect(Set(rows.map(\.id)) == [seed.primary, seed.secondary, seed.idle])
            let primary = try #require(rows.first { $0.id == seed.primary })
            #expect(primary.status == "online")
            #expect(primary.haRole == "primary")
            #expect(primary.haState == "active")
            #expect(primary.siteName == "branch-amsterdam")
            #expect(primary.tunnels == 1 && primary.tunnelsUnhealthy == 0)
            #expect(primary.lastSnapshot == seed.snapshotTimes.last)
            #expect(rows.first { $0.id == seed.secondary }?.haRole == "secondary")
            #expect(rows.first { $0.id == seed.idle }?.status == "offline")
            #expect(result.counts == ["online": 1, "stale": 0, "offline": 2])
            let tag = try #require(response.headers[.eTag])
            let again = try await Self.get(api, "/fleet", cookie: cookie, headers: ["If-None-Match": tag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
        }
    }

    @Test(
        "series: the last snapshot per bucket, CPU utilisation from cpu_time, interface rates with a counter reset counted from zero"
    )
    func series() async throws {
        try await withRouter { api in
            let seed = try await DashboardSeed.seed(api)
            let cookie = try await Self.signIn(api)
            let response = try await Self.get(api, "/connectors/\(seed.primary)/series?window=1h", cookie: cookie)
            #expect(response.status == .ok, "\(response.text)")
            let result = try Self.result(Series.self, response)
            let points = result.points
            #expect(points.map(\.t) == seed.snapshotTimes)
            let firstKeys = try Self.result(JSONValue.self, response)
            guard case .object(let fields) = firstKeys, case .array(let rawPoints)? = fields["points"],
                case .object(let first)? = rawPoints.first
            else {
                Issue.record("no points: \(response.text.prefix(300))")
                return
            }
            #expect(first["cpuUtilisation"] == nil, "no rate without a previous point")
            for point in points.dropFirst() {
                let cpu = try #require(point.cpuUtilisation)
                #expect(abs(cpu - 10) < 1e-9)
            }
            let interfaces = result.interfaces.filter { $0.name == seed.interface }
            #expect(interfaces.count == points.count)
            let rates = interfaces.dropFirst().map { $0.recvBitsPerSecond ?? -1 }
            let expected = Double(DashboardSeed.bytesPerStep) * 8 / DashboardSeed.step
            for (index, rate) in rates.enumerated() {
                let reset = index + 1 == DashboardSeed.resetIndex
                #expect(
                    abs(rate - (reset ? 1000 * 8 / DashboardSeed.step : expected)) < 1e-6, "point \(index + 1): \(rate)"
                )
            }
            #expect(result.tunnels.count == points.count && result.tunnels.allSatisfy { $0.probedMtu == 1420 })
            let events = try await Self.get(api, "/connectors/\(seed.primary)/events?window=1h", cookie: cookie)
            #expect(events.status == .ok)
            #expect(try Self.result([EventRow].self, events).map(\.k) == ["Reconcile", "Reconcile", "Init"])
            let bad = try await Self.get(api, "/connectors/\(seed.primary)/series?window=2y", cookie: cookie)
            #expect(bad.status == .badRequest)
        }
    }

    @Test("another account's connector and site are not found through this session, as if they did not exist")
    func accountScoping() async throws {
        try await withRouter { api in
            let seed = try await DashboardSeed.seed(api)
            let cookie = try await Self.signIn(api, token: TestServer.otherWriteToken)
            let fleet = try await Self.get(api, "/fleet", cookie: cookie)
            #expect(fleet.status == .ok)
            #expect(try Self.result(Fleet.self, fleet).connectors.map(\.id) == [seed.otherAccountConnector])
            for path in [
                "/connectors/\(seed.primary)/series", "/connectors/\(seed.primary)/events",
                "/connectors/\(seed.primary)/latest", "/sites/\(seed.site)",
            ] {
                let response = try await Self.get(api, path, cookie: cookie)
                #expect(response.status == .notFound, "\(path): \(response.status)")
                #expect(!response.text.contains("branch-amsterdam"))
            }
            let mine = try await Self.signIn(api)
            let site = try await Self.get(api, "/sites/\(seed.site)", cookie: mine)
            #expect(site.status == .ok)
            let result = try Self.result(SiteDetail.self, site)
            #expect(result.wans.count == 2 && result.lans.count == 2 && result.acls.count == 1)
        }
    }
}
