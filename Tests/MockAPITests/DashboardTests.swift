import Foundation
import Testing

/// The dashboard's sign-in and JSON endpoints over real HTTP: token to HttpOnly cookie, account scoping, the
/// SQL-downsampled series (rates, counter resets), ETags.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct DashboardTests {
    static func signIn(_ server: TestServer, token: String = TestServer.readToken) async throws -> String {
        let response = try await curl("http://127.0.0.1:\(server.port)/?token=\(token)")
        try #require(response.status == 303, "sign-in: \(response.status) \(response.body)")
        let cookie = try #require(response.headers["set-cookie"])
        return String(cookie.prefix { $0 != ";" })
    }

    static func json(_ server: TestServer, _ path: String, cookie: String, headers: [String: String] = [:]) async throws -> (CurlResponse, [String: Any]) {
        var headers = headers
        headers["Cookie"] = cookie
        let response = try await curl("http://127.0.0.1:\(server.port)/dashboard/api\(path)", headers: headers)
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body.utf8))) as? [String: Any] ?? [:]
        return (response, object)
    }

    @Test("/?token= becomes an HttpOnly SameSite cookie and a redirect to /, the token gone; a bad token the login page with 401")
    func tokenExchange() async throws {
        try await withServer { server in
            let base = "http://127.0.0.1:\(server.port)"
            let login = try await curl("\(base)/")
            #expect(login.status == 200)
            #expect(login.body.contains(#"name="token""#), "the login form")
            let response = try await curl("\(base)/?token=\(TestServer.readToken)")
            #expect(response.status == 303)
            #expect(response.headers["location"] == "/")
            let cookie = try #require(response.headers["set-cookie"])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(!cookie.contains(TestServer.readToken) && !response.body.contains(TestServer.readToken))
            let app = try await curl("\(base)/", headers: ["Cookie": String(cookie.prefix { $0 != ";" })])
            #expect(app.body.contains("/dashboard/assets/app.js"), "signed in: the app page")
            let bad = try await curl("\(base)/?token=not-a-token")
            #expect(bad.status == 401)
            #expect(bad.headers["set-cookie"] == nil)
            #expect(bad.body.contains("not valid"))
            let form = try await curl("\(base)/dashboard/login", method: "POST", form: "token=\(TestServer.writeToken)")
            #expect(form.status == 303 && form.headers["set-cookie"]?.hasPrefix("vc_session=") == true)
            let noSession = try await curl("\(base)/dashboard/api/fleet")
            #expect(noSession.status == 401)
            #expect(noSession.body.contains(#""success":false"#))
            let forged = try await curl("\(base)/dashboard/api/fleet", headers: ["Cookie": "vc_session=\(String(repeating: "0", count: 64))"])
            #expect(forged.status == 401)
        }
    }

    @Test("the fleet holds this account's connectors with status, site, HA role and tunnels, never another account's; ETag gives 304")
    func fleet() async throws {
        try await withServer { server in
            let seed = try await DashboardSeed.seed(server)
            let cookie = try await Self.signIn(server)
            let (response, body) = try await Self.json(server, "/fleet", cookie: cookie)
            #expect(response.status == 200)
            #expect(!response.body.contains(seed.otherAccountConnector), "another account's connector in the fleet")
            let result = try #require(body["result"] as? [String: Any])
            let rows = try #require(result["connectors"] as? [[String: Any]])
            #expect(Set(rows.compactMap { $0["id"] as? String }) == [seed.primary, seed.secondary, seed.idle])
            let primary = try #require(rows.first { $0["id"] as? String == seed.primary })
            #expect(primary["status"] as? String == "online")
            #expect(primary["haRole"] as? String == "primary")
            #expect(primary["haState"] as? String == "active")
            #expect(primary["siteName"] as? String == "branch-amsterdam")
            #expect(primary["tunnels"] as? Int == 1 && primary["tunnelsUnhealthy"] as? Int == 0)
            #expect(primary["lastSnapshot"] as? Double == seed.snapshotTimes.last)
            #expect(rows.first { $0["id"] as? String == seed.secondary }?["haRole"] as? String == "secondary")
            #expect(rows.first { $0["id"] as? String == seed.idle }?["status"] as? String == "offline")
            #expect(result["counts"] as? [String: Int] == ["online": 1, "stale": 0, "offline": 2])
            let tag = try #require(response.headers["etag"])
            let (again, _) = try await Self.json(server, "/fleet", cookie: cookie, headers: ["If-None-Match": tag])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
        }
    }

    @Test("series: the last snapshot per bucket, CPU utilisation from cpu_time, interface rates with a counter reset counted from zero")
    func series() async throws {
        try await withServer { server in
            let seed = try await DashboardSeed.seed(server)
            let cookie = try await Self.signIn(server)
            let (response, body) = try await Self.json(server, "/connectors/\(seed.primary)/series?window=1h", cookie: cookie)
            #expect(response.status == 200, "\(response.body)")
            let result = try #require(body["result"] as? [String: Any])
            let points = try #require(result["points"] as? [[String: Any]])
            #expect(points.map { $0["t"] as? Double } == seed.snapshotTimes.map { Optional($0) })
            #expect(points.first?["cpuUtilisation"] == nil, "no rate without a previous point")
            for point in points.dropFirst() {
                let cpu = try #require(point["cpuUtilisation"] as? Double)
                #expect(abs(cpu - 10) < 1e-9)
            }
            let interfaces = try #require(result["interfaces"] as? [[String: Any]]).filter { $0["name"] as? String == seed.interface }
            #expect(interfaces.count == points.count)
            let rates = interfaces.dropFirst().map { $0["recvBitsPerSecond"] as? Double ?? -1 }
            let expected = Double(DashboardSeed.bytesPerStep) * 8 / DashboardSeed.step
            for (index, rate) in rates.enumerated() {
                let reset = index + 1 == DashboardSeed.resetIndex
                #expect(abs(rate - (reset ? 1000 * 8 / DashboardSeed.step : expected)) < 1e-6, "point \(index + 1): \(rate)")
            }
            let tunnels = try #require(result["tunnels"] as? [[String: Any]])
            #expect(tunnels.count == points.count && tunnels.allSatisfy { $0["probedMtu"] as? Double == 1420 })
            let (events, eventsBody) = try await Self.json(server, "/connectors/\(seed.primary)/events?window=1h", cookie: cookie)
            #expect(events.status == 200)
            #expect((eventsBody["result"] as? [[String: Any]])?.map { $0["k"] as? String } == ["Reconcile", "Reconcile", "Init"])
            let (bad, _) = try await Self.json(server, "/connectors/\(seed.primary)/series?window=2y", cookie: cookie)
            #expect(bad.status == 400)
        }
    }

    @Test("another account's connector and site are not found through this session, as if they did not exist")
    func accountScoping() async throws {
        try await withServer { server in
            let seed = try await DashboardSeed.seed(server)
            let cookie = try await Self.signIn(server, token: TestServer.otherWriteToken)
            let (fleet, body) = try await Self.json(server, "/fleet", cookie: cookie)
            #expect(fleet.status == 200)
            let ids = ((body["result"] as? [String: Any])?["connectors"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == [seed.otherAccountConnector])
            for path in ["/connectors/\(seed.primary)/series", "/connectors/\(seed.primary)/events", "/connectors/\(seed.primary)/latest", "/sites/\(seed.site)"] {
                let (response, _) = try await Self.json(server, path, cookie: cookie)
                #expect(response.status == 404, "\(path): \(response.status)")
                #expect(!response.body.contains("branch-amsterdam"))
            }
            let mine = try await Self.signIn(server)
            let (site, siteBody) = try await Self.json(server, "/sites/\(seed.site)", cookie: mine)
            #expect(site.status == 200)
            let result = try #require(siteBody["result"] as? [String: Any])
            #expect((result["wans"] as? [Any])?.count == 2 && (result["lans"] as? [Any])?.count == 2 && (result["acls"] as? [Any])?.count == 1)
        }
    }
}
