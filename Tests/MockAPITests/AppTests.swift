import ConnectorAPI
import Foundation
import TestSupport
import Testing

/// Custom apps (seed 003 "Apps"): CRUD with unwrapped results, the field rules, PUT against PATCH, the link from
/// app configs, account isolation and hostile input.
@Suite("Apps")
struct AppTests {
    static var app: [String: Any] { [
        "name": "Cloudflare Dashboard", "type": "Development", "hostnames": ["auth.cloudflare.com"],
        "ip_subnets": ["192.0.2.0/24"], "source_subnets": ["198.51.100.0/24"],
    ] }

    @Test func crudRoundTrip() async throws {
        try await withServer { server in
            let client = server.client
            let created = try await client.post(Paths.apps, Self.app)
            #expect(created.status == 200, "\(created.text)")
            let id = try #require(created.object["account_app_id"] as? String)
            #expect(created.object["hostnames"] as? [String] == ["auth.cloudflare.com"] && created.object["id"] == nil)
            let listed = try await client.get(Paths.apps)
            #expect(listed.array.map { $0["account_app_id"] as? String } == [id])
            #expect(listed.array.first?["source_subnets"] as? [String] == ["198.51.100.0/24"])

            let patched = try await client.patch("\(Paths.apps)/\(id)", ["name": "Dash"])
            #expect(patched.object["name"] as? String == "Dash" && patched.object["hostnames"] as? [String] == ["auth.cloudflare.com"], "PATCH merges")
            let put = try await client.put("\(Paths.apps)/\(id)", ["ip_subnets": ["203.0.113.0/24"]])
            #expect(put.status == 200, "\(put.text)")
            #expect(put.object["ip_subnets"] as? [String] == ["203.0.113.0/24"])
            #expect(put.object["hostnames"] as? [String] == [] && put.object["source_subnets"] as? [String] == [], "PUT replaces the lists")
            #expect(put.object["name"] as? String == "Dash" && put.object["type"] as? String == "Development", "an app keeps its name and type")

            let deleted = try await client.delete("\(Paths.apps)/\(id)")
            #expect(deleted.status == 200 && deleted.object["account_app_id"] as? String == id)
            #expect(try await client.get(Paths.apps).array.isEmpty)
            expectFailure(try await client.delete("\(Paths.apps)/\(id)"), status: 404, code: Code.notFound)
            expectFailure(try await client.patch("\(Paths.apps)/\(id)", ["name": "x"]), status: 404, code: Code.notFound)
        }
    }

    /// 257 subnets: one more than the mock allows in a list.
    static let tooMany = (0...256).map { "\"10.\($0 / 256).\($0 % 256).0/24\"" }.joined(separator: ",")

    @Test(arguments: [
        (#"{"type": "Development"}"#, 400, Code.missingField, "name"),
        (#"{"name": "a"}"#, 400, Code.missingField, "type"),
        (#"{"name": "a", "type": "b", "hostnames": ["not a name"]}"#, 422, Code.invalidValue, "hostnames[0]"),
        (#"{"name": "a", "type": "b", "hostnames": ["ok.example.com", "-bad.example.com"]}"#, 422, Code.invalidValue, "hostnames[1]"),
        (#"{"name": "a", "type": "b", "hostnames": ["localhost"]}"#, 422, Code.invalidValue, "hostnames[0]"),
        (#"{"name": "a", "type": "b", "hostnames": ["192.0.2.1"]}"#, 422, Code.invalidValue, "hostnames[0]"),
        (#"{"name": "a", "type": "b", "hostnames": ["*.example.com"]}"#, 422, Code.invalidValue, "hostnames[0]"),
        (#"{"name": "a", "type": "b", "hostnames": ["a.example.com", "A.example.com"]}"#, 422, Code.invalidValue, "hostnames[1]"),
        (#"{"name": "a", "type": "b", "hostnames": "a.example.com"}"#, 400, Code.wrongType, "hostnames"),
        (#"{"name": "a", "type": "b", "ip_subnets": ["192.0.2.0/33"]}"#, 422, Code.invalidValue, "ip_subnets[0]"),
        (#"{"name": "a", "type": "b", "ip_subnets": ["2001:db8::/32"]}"#, 422, Code.invalidValue, "ip_subnets[0]"),
        (#"{"name": "a", "type": "b", "source_subnets": ["192.0.2.1/24"]}"#, 422, Code.invalidValue, "source_subnets[0]"),
        (#"{"name": "a", "type": "b", "source_subnets": [\#(tooMany)]}"#, 422, Code.invalidValue, "source_subnets"),
        (#"{"name": "", "type": "b"}"#, 422, Code.invalidValue, "name"),
        (#"{"name": "a", "type": "b\nc"}"#, 422, Code.invalidValue, "type"),
    ])
    func refusesInvalidApps(body: String, status: Int, code: Int, field: String) async throws {
        try await withServer { server in
            expectFailure(try await server.client.send("POST", Paths.apps, raw: body), status: status, code: code, mentions: field)
            #expect(try await server.client.get(Paths.apps).array.isEmpty, "nothing kept")
        }
    }

    @Test("an app config names an existing app of the account; an app in use is not deleted (409)")
    func appConfigsReferToApps() async throws {
        try await withServer { server in
            let client = server.client
            let site = try await client.createSite()
            let app = try await client.createApp()
            let config = try await client.post("\(Paths.site(site))/app_configs", ["account_app_id": app, "breakout": true])
            #expect(config.status == 200, "\(config.text)")
            let configID = try #require(config.object["id"] as? String)
            expectFailure(try await client.delete("\(Paths.apps)/\(app)"), status: 409, code: Code.conflict, mentions: configID)
            #expect(try await client.get(Paths.apps).array.count == 1, "the refused delete kept the app")
            expectFailure(
                try await client.patch("\(Paths.site(site))/app_configs/\(configID)", ["account_app_id": "gone"]), status: 422,
                code: Code.invalidValue, mentions: "account_app_id")
            #expect(try await client.delete("\(Paths.site(site))/app_configs/\(configID)").status == 200)
            #expect(try await client.delete("\(Paths.apps)/\(app)").status == 200, "free once no config names it")
        }
    }

    @Test("another account neither sees nor changes an app, nor names it in its app configs; a read token cannot write")
    func accountIsolation() async throws {
        try await withServer { server in
            let app = try await server.client.createApp()
            let other = server.otherClient
            #expect(try await other.get("/accounts/\(TestServer.otherAccount)/magic/apps").array.isEmpty)
            let otherApps = "/accounts/\(TestServer.otherAccount)/magic/apps/\(app)"
            expectFailure(try await other.patch(otherApps, ["name": "mine"]), status: 404, code: Code.notFound)
            expectFailure(try await other.put(otherApps, ["name": "mine"]), status: 404, code: Code.notFound)
            expectFailure(try await other.delete(otherApps), status: 404, code: Code.notFound)
            #expect(try await other.get(Paths.apps).status == 403, "the other token on this account")
            let otherSite = try await other.post("/accounts/\(TestServer.otherAccount)/magic/sites", ["name": "theirs"])
            let siteID = try #require(otherSite.object["id"] as? String)
            expectFailure(
                try await other.post("/accounts/\(TestServer.otherAccount)/magic/sites/\(siteID)/app_configs", ["account_app_id": app, "breakout": true]),
                status: 422, code: Code.invalidValue, mentions: "account_app_id")
            #expect(try await server.readClient.get(Paths.apps).array.count == 1)
            #expect(try await server.readClient.post(Paths.apps, Self.app).status == 403)
            #expect(try await server.readClient.delete("\(Paths.apps)/\(app)").status == 403)
            #expect(try await server.client.get(Paths.apps).array.first?["name"] as? String == "Dashboard", "unchanged")
        }
    }

    @Test("hostile strings in every field: refused naming the field, or (name, type) stored verbatim; never a 5xx")
    func hostileInput() async throws {
        try await withServer { server in
            let client = server.client
            let corpus = HostileStrings.corpus.map(\.value) + HostileInputTests.unprintable + HostileInputTests.printableOdd
            for value in corpus {
                for field in ["name", "type", "hostnames", "ip_subnets", "source_subnets"] {
                    var body: [String: Any] = ["name": "a", "type": "b"]
                    body[field] = field.hasSuffix("s") ? [value] : value
                    let response = try await client.post("\(Paths.apps)?validate_only=true", body)
                    let label = "\(field) = \(value.debugDescription.prefix(60))"
                    #expect(response.status < 500 && response.json["success"] is Bool, "\(label): \(response.status)")
                    let printable = !value.isEmpty && value.unicodeScalars.count <= 256 && value.unicodeScalars.allSatisfy(TextRules.isPrintable)
                    if ["name", "type"].contains(field), printable {
                        #expect(response.status == 200 && response.object[field] as? String == value, "\(label): \(response.text.prefix(200))")
                    } else {
                        #expect(response.status == 422, "\(label): \(response.status)")
                        #expect(response.errorMessage.contains(field) && response.errorMessage.count < 1000, "\(label): \(response.errorMessage.prefix(200))")
                        #expect(!response.errorMessage.unicodeScalars.contains { $0.value < 0x20 }, "\(label): control characters repeated")
                    }
                }
            }
            #expect(try await client.get(Paths.apps).array.isEmpty, "validate_only kept nothing")
            #expect(!HostileStrings.markerExists)
        }
    }
}
