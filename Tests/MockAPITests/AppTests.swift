import ConnectorAPI
import Foundation
import Hummingbird
import TestSupport
import Testing

/// Custom apps (seed 003 "Apps"): CRUD with unwrapped results, the field rules, PUT against PATCH, the link from
/// app configs, account isolation and hostile input.
@Suite("Apps")
struct AppTests {
    static let app = AccountApp(
        name: "Cloudflare Dashboard", type: "Development", hostnames: ["auth.cloudflare.com"],
        ipSubnets: ["192.0.2.0/24"],
        sourceSubnets: ["198.51.100.0/24"]
    )

    @Test func crudRoundTrip() async throws {
        try await withRouter { api in
            let created = try await api.send(.post, Paths.apps, body: Self.app)
            #expect(created.status == .ok, "\(created.text)")
            let app = try #require(try api.decode(AccountApp.self, created).result)
            let id = try #require(app.id)
            #expect(try app.hostnames == ["auth.cloudflare.com"] && !api.resultKeys(created).contains("id"))
            let listed = try await api.get([AccountApp].self, Paths.apps).result
            #expect(listed?.map(\.id) == [id])
            #expect(listed?.first?.sourceSubnets == ["198.51.100.0/24"])

            let patched = try api.decode(
                AccountApp.self, try await api.send(.patch, "\(Paths.apps)/\(id)", body: AccountApp(name: "Dash"))
            ).result
            #expect(patched?.name == "Dash" && patched?.hostnames == ["auth.cloudflare.com"], "PATCH merges")
            let putResponse = try await api.send(
                .put, "\(Paths.apps)/\(id)", body: AccountApp(ipSubnets: ["203.0.113.0/24"]))
            #expect(putResponse.status == .ok, "\(putResponse.text)")
            let put = try api.decode(AccountApp.self, putResponse).result
            #expect(put?.ipSubnets == ["203.0.113.0/24"])
            #expect(put?.hostnames == [] && put?.sourceSubnets == [], "PUT replaces the lists")
            #expect(put?.name == "Dash" && put?.type == "Development", "an app keeps its name and type")

            let deleted = try await api.send(.delete, "\(Paths.apps)/\(id)")
            #expect(try deleted.status == .ok && (api.decode(AccountApp.self, deleted).result?.id) == id)
            #expect(try await api.get([AccountApp].self, Paths.apps).result == [])
            expectFailure(try await api.send(.delete, "\(Paths.apps)/\(id)"), status: .notFound, code: Code.notFound)
            expectFailure(
                try await api.send(.patch, "\(Paths.apps)/\(id)", body: AccountApp(name: "x")), status: .notFound,
                code: Code.notFound)
        }
    }

    /// 257 subnets: one more than the mock allows in a list.
    static let tooMany = (0...256).map { "\"10.\($0 / 256).\($0 % 256).0/24\"" }.joined(separator: ",")

    @Test(arguments: [
        (#"{"type": "Development"}"#, 400, Code.missingField, "name"),
        (#"{"name": "a"}"#, 400, Code.missingField, "type"),
        (#"{"name": "a", "type": "b", "hostnames": ["not a name"]}"#, 422, Code.invalidValue, "hostnames[0]"),
        (
            #"{"name": "a", "type": "b", "hostnames": ["ok.example.com", "-bad.example.com"]}"#, 422, Code.invalidValue,
            "hostnames[1]"
        ),
        (#"{"name": "a", "type": "b", "hostnames": ["localhost"]}"#, 422, Code.invalidValue, "hostnames[0]"),
        (#"{"name": "a", "type": "b", "hostnames": ["192.0.2.1"]}"#, 422, Code.invalidValue, "hostnames[0]"),
        (#"{"name": "a", "type": "b", "hostnames": ["*.example.com"]}"#, 422, Code.invalidValue, "hostnames[0]"),
        (
            #"{"name": "a", "type": "b", "hostnames": ["a.example.com", "A.example.com"]}"#, 422, Code.invalidValue,
            "hostnames[1]"
        ),
        (#"{"name": "a", "type": "b", "hostnames": "a.example.com"}"#, 400, Code.wrongType, "hostnames"),
        (#"{"name": "a", "type": "b", "ip_subnets": ["192.0.2.0/33"]}"#, 422, Code.invalidValue, "ip_subnets[0]"),
        (#"{"name": "a", "type": "b", "ip_subnets": ["2001:db8::/32"]}"#, 422, Code.invalidValue, "ip_subnets[0]"),
        (
            #"{"name": "a", "type": "b", "source_subnets": ["192.0.2.1/24"]}"#, 422, Code.invalidValue,
            "source_subnets[0]"
        ),
        (#"{"name": "a", "type": "b", "source_subnets": [\#(tooMany)]}"#, 422, Code.invalidValue, "source_subnets"),
        (#"{"name": "", "type": "b"}"#, 422, Code.invalidValue, "name"),
        (#"{"name": "a", "type": "b\nc"}"#, 422, Code.invalidValue, "type"),
    ])
    func refusesInvalidApps(body: String, status: Int, code: Int, field: String) async throws {
        try await withRouter { api in
            expectFailure(
                try await api.send(.post, Paths.apps, raw: Data(body.utf8)), status: .init(code: status), code: code,
                mentions: field)
            #expect(try await api.get([AccountApp].self, Paths.apps).result == [], "nothing kept")
        }
    }

    @Test("an app config names an existing app of the account; an app in use is not deleted (409)")
    func appConfigsReferToApps() async throws {
        try await withRouter { api in
            let site = try await api.createSite()
            let app = try await api.createApp()
            let config = try await api.send(
                .post, "\(Paths.site(site))/app_configs", body: AppConfig(accountAppId: app, breakout: true))
            #expect(config.status == .ok, "\(config.text)")
            let configID = try #require(try api.decode(AppConfig.self, config).result?.id)
            expectFailure(
                try await api.send(.delete, "\(Paths.apps)/\(app)"), status: .conflict, code: Code.conflict,
                mentions: configID)
            #expect(
                try await api.get([AccountApp].self, Paths.apps).result?.count == 1, "the refused delete kept the app")
            expectFailure(
                try await api.send(
                    .patch, "\(Paths.site(site))/app_configs/\(configID)", body: AppConfig(accountAppId: "gone")),
                status: .unprocessableContent, code: Code.invalidValue, mentions: "account_app_id")
            #expect(try await api.send(.delete, "\(Paths.site(site))/app_configs/\(configID)").status == .ok)
            #expect(try await api.send(.delete, "\(Paths.apps)/\(app)").status == .ok, "free once no config names it")
        }
    }

    @Test("another account neither sees nor changes an app, nor names it in its app configs; a read token cannot write")
    func accountIsolation() async throws {
        try await withRouter { api in
            let app = try await api.createApp()
            let other = TestServer.otherWriteToken
            let otherAccount = "/accounts/\(TestServer.otherAccount)/magic"
            #expect(try await api.get([AccountApp].self, "\(otherAccount)/apps", token: other).result == [])
            let otherApps = "\(otherAccount)/apps/\(app)"
            expectFailure(
                try await api.send(.patch, otherApps, token: other, body: AccountApp(name: "mine")), status: .notFound,
                code: Code.notFound)
            expectFailure(
                try await api.send(.put, otherApps, token: other, body: AccountApp(name: "mine")), status: .notFound,
                code: Code.notFound)
            expectFailure(try await api.send(.delete, otherApps, token: other), status: .notFound, code: Code.notFound)
            #expect(
                try await api.send(.get, Paths.apps, token: other).status == .forbidden,
                "the other token on this account")
            let otherSite = try await api.send(
                .post, "\(otherAccount)/sites", token: other, body: SiteTests.Body(name: "theirs"))
            let siteID = try #require(try api.decode(Site.self, otherSite).result?.id)
            expectFailure(
                try await api.send(
                    .post, "\(otherAccount)/sites/\(siteID)/app_configs", token: other,
                    body: AppConfig(accountAppId: app, breakout: true)
                ),
                status: .unprocessableContent, code: Code.invalidValue, mentions: "account_app_id")
            let read = TestServer.readToken
            #expect(try await api.get([AccountApp].self, Paths.apps, token: read).result?.count == 1)
            #expect(try await api.send(.post, Paths.apps, token: read, body: Self.app).status == .forbidden)
            #expect(try await api.send(.delete, "\(Paths.apps)/\(app)", token: read).status == .forbidden)
            #expect(try await api.get([AccountApp].self, Paths.apps).result?.first?.name == "Dashboard", "unchanged")
        }
    }

    @Test("hostile strings in every field: refused naming the field, or (name, type) stored verbatim; never a 5xx")
    func hostileInput() async throws {
        try await withRouter { api in
            let corpus =
                HostileStrings.corpus.map(\.value) + HostileInputTests.unprintable + HostileInputTests.printableOdd
            for value in corpus {
                for field in ["name", "type", "hostnames", "ip_subnets", "source_subnets"] {
                    var body = AccountApp(name: "a", type: "b")
                    switch field {
                    case "name": body.name = value
                    case "type": body.type = value
                    case "hostnames": body.hostnames = [value]
                    case "ip_subnets": body.ipSubnets = [value]
                    default: body.sourceSubnets = [value]
                    }
                    let response = try await api.send(.post, "\(Paths.apps)?validate_only=true", body: body)
                    let label = "\(field) = \(value.debugDescription.prefix(60))"
                    let envelope = try? api.decode(AccountApp.self, response)
                    #expect(response.status.code < 500 && envelope != nil, "\(label): \(response.status)")
                    let printable =
                        !value.isEmpty && value.unicodeScalars.count <= 256
                        && value.unicodeScalars.allSatisfy(TextRules.isPrintable)
                    if ["name", "type"].contains(field), printable {
                        let stored = field == "name" ? envelope?.result?.name : envelope?.result?.type
                        #expect(response.status == .ok && stored == value, "\(label): \(response.text.prefix(200))")
                    } else {
                        let message = envelope?.errors.first?.message ?? ""
                        #expect(response.status == .unprocessableContent, "\(label): \(response.status)")
                        #expect(message.contains(field) && message.count < 1000, "\(label): \(message.prefix(200))")
                        #expect(
                            !message.unicodeScalars.contains { $0.value < 0x20 },
                            "\(label): control characters repeated")
                    }
                }
            }
            #expect(try await api.get([AccountApp].self, Paths.apps).result == [], "validate_only kept nothing")
            #expect(!HostileStrings.markerExists)
        }
    }
}
