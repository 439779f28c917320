import Foundation
import Testing

@Suite("App configs")
struct AppConfigTests {
    private func expectRejected(_ body: [String: Any], field: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withServer { server in
            let site = try await server.client.createSite()
            _ = try await server.client.createWAN(site: site)
            expectFailure(try await server.client.post("\(Paths.site(site))/app_configs", body), status: 422, code: Code.invalidValue, mentions: field, sourceLocation: sourceLocation)
            #expect(try await server.client.get("\(Paths.site(site))/app_configs").array.isEmpty, sourceLocation: sourceLocation)
        }
    }

    @Test func crudRoundTrip() async throws {
        try await withServer { server in
            let client = server.client
            let site = try await client.createSite()
            let wan = try await client.createWAN(site: site)
            let app = try await client.createApp()
            let created = try await client.post("\(Paths.site(site))/app_configs", ["account_app_id": app, "breakout": true, "preferred_wans": [wan], "priority": 1])
            #expect(created.status == 200)
            let id = try #require(created.object["id"] as? String)
            #expect(created.object["site_id"] as? String == site)
            #expect(try await client.get("\(Paths.site(site))/app_configs/\(id)").object["account_app_id"] as? String == app)
            #expect(try await client.get("\(Paths.site(site))/app_configs").array.count == 1)
            #expect(try await client.patch("\(Paths.site(site))/app_configs/\(id)", ["priority": 0]).object["priority"] as? Int == 0)
            let put = try await client.put("\(Paths.site(site))/app_configs/\(id)", ["managed_app_id": "zoom"])
            #expect(put.object["managed_app_id"] as? String == "zoom")
            #expect(put.object["account_app_id"] == nil)
            #expect(try await client.delete("\(Paths.site(site))/app_configs/\(id)").status == 200)
            #expect(try await client.get("\(Paths.site(site))/app_configs").array.isEmpty)
        }
    }

    @Test func needsExactlyOneAppReference() async throws {
        try await expectRejected(["account_app_id": "a", "managed_app_id": "b"], field: "managed_app_id")
    }

    @Test func needsAnAppReference() async throws {
        try await expectRejected(["breakout": true], field: "account_app_id")
    }

    @Test func accountAppMustExist() async throws {
        try await expectRejected(["account_app_id": "nosuchapp", "breakout": true], field: "account_app_id")
    }

    @Test func priorityIs0Or1() async throws {
        try await expectRejected(["managed_app_id": "zoom", "priority": 2], field: "priority")
    }

    @Test func preferredWANsOnlyForBreakout() async throws {
        try await expectRejected(["managed_app_id": "zoom", "preferred_wans": ["x"]], field: "preferred_wans")
    }

    @Test func preferredWANsMustBeWANsOfTheSite() async throws {
        try await expectRejected(["managed_app_id": "zoom", "breakout": true, "preferred_wans": ["nope"]], field: "preferred_wans[0]")
    }
}
