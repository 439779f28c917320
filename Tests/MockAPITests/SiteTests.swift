import Foundation
import Testing
@testable import MockAPI
import GRDB

@Suite("Sites")
struct SiteTests {
    @Test func crudRoundTrip() async throws {
        try await withServer { server in
            let client = server.client
            let created = try await client.post(Paths.sites, ["name": "branch-1", "description": "d", "location": ["lat": "37.6", "lon": "-122.3"]])
            #expect(created.status == 200)
            let id = try #require(created.object["id"] as? String)
            #expect(id.count == 32)
            #expect(created.object["ha_mode"] as? Bool == false)
            #expect(try await client.get(Paths.site(id)).object["name"] as? String == "branch-1")
            #expect(try await client.get(Paths.sites).array.count == 1)
            let patched = try await client.patch(Paths.site(id), ["description": "new"])
            #expect(patched.object["description"] as? String == "new")
            #expect(patched.object["name"] as? String == "branch-1")
            #expect((patched.object["location"] as? [String: Any])?["lat"] as? String == "37.6")
            let put = try await client.put(Paths.site(id), ["name": "branch-2"])
            #expect(put.object["name"] as? String == "branch-2")
            #expect(put.object["description"] == nil, "PUT replaces: omitted description is cleared")
            expectFailure(try await client.put(Paths.site(id), ["description": "no name"]), status: 400, code: Code.missingField, mentions: "name")
            let deleted = try await client.delete(Paths.site(id))
            #expect(deleted.status == 200)
            #expect(deleted.object["id"] as? String == id)
            expectFailure(try await client.get(Paths.site(id)), status: 404, code: Code.notFound)
        }
    }

    @Test func listFiltersByPrimaryOrSecondaryConnector() async throws {
        try await withServer { server in
            let client = server.client
            let (a, b, c) = try await client.threeConnectors()
            let haSite = try await client.createSite(["name": "ha", "ha_mode": true, "connector_id": a, "secondary_connector_id": b])
            let plain = try await client.createSite(["name": "plain", "connector_id": c])
            _ = try await client.createSite(["name": "empty"])
            #expect(try await client.get("\(Paths.sites)?connectorid=\(a)").array.map { $0["id"] as? String } == [haSite])
            #expect(try await client.get("\(Paths.sites)?connectorid=\(b)").array.map { $0["id"] as? String } == [haSite])
            #expect(try await client.get("\(Paths.sites)?connectorid=\(c)").array.map { $0["id"] as? String } == [plain])
            #expect(try await client.get("\(Paths.sites)?connectorid=unknown").array.isEmpty)
            #expect(try await client.get(Paths.sites).array.count == 3)
        }
    }

    @Test func nameIsRequired() async throws {
        try await withServer { server in
            expectFailure(try await server.client.post(Paths.sites, ["description": "x"]), status: 400, code: Code.missingField, mentions: "name")
        }
    }

    @Test func duplicateNameIsAConflict() async throws {
        try await withServer { server in
            _ = try await server.client.createSite(["name": "same"])
            expectFailure(try await server.client.post(Paths.sites, ["name": "same"]), status: 409, code: Code.conflict, mentions: "name")
            #expect(try await server.client.get(Paths.sites).array.count == 1)
        }
    }

    @Test func connectorMustExistInTheAccount() async throws {
        try await withServer { server in
            let foreign = try await server.otherClient.post("/accounts/\(TestServer.otherAccount)/magic/connectors", ["device": ["id": "x"]])
            let foreignID = try #require(foreign.object["id"] as? String)
            let response = try await server.client.post(Paths.sites, ["name": "s", "connector_id": foreignID])
            expectFailure(response, status: 422, code: Code.invalidValue, mentions: "connector_id")
        }
    }

    @Test func aConnectorServesOneSite() async throws {
        try await withServer { server in
            let a = try await server.client.createConnector(["device": ["id": "a"]])["id"] as! String
            _ = try await server.client.createSite(["name": "one", "connector_id": a])
            expectFailure(try await server.client.post(Paths.sites, ["name": "two", "connector_id": a]), status: 409, code: Code.conflict, mentions: "connector_id")
        }
    }

    @Test func secondaryConnectorNeedsHAMode() async throws {
        try await withServer { server in
            let a = try await server.client.createConnector(["device": ["id": "a"]])["id"] as! String
            let b = try await server.client.createConnector(["device": ["id": "b"]])["id"] as! String
            let response = try await server.client.post(Paths.sites, ["name": "s", "connector_id": a, "secondary_connector_id": b])
            expectFailure(response, status: 422, code: Code.invalidValue, mentions: "ha_mode")
        }
    }

    @Test func anHAPairIsTwoDifferentConnectorsOfTheAccountServingNoOtherSite() async throws {
        try await withServer { server in
            let client = server.client
            let (a, b, c) = try await client.threeConnectors()
            func ha(_ name: String, _ primary: String, _ secondary: String) async throws -> TestResponse {
                try await client.post(Paths.sites, ["name": name, "ha_mode": true, "connector_id": primary, "secondary_connector_id": secondary])
            }
            expectFailure(try await ha("same", a, a), status: 422, code: Code.invalidValue, mentions: "secondary_connector_id")
            expectFailure(try await ha("unknown", a, "0123456789abcdef0123456789abcdef"), status: 422, code: Code.invalidValue, mentions: "secondary_connector_id")
            _ = try await client.createSite(["name": "plain", "connector_id": c])
            expectFailure(try await ha("taken", a, c), status: 409, code: Code.conflict, mentions: "secondary_connector_id")
            expectFailure(try await ha("taken-primary", c, b), status: 409, code: Code.conflict, mentions: "connector_id")
            #expect(try await ha("pair", a, b).status == 200)
            expectFailure(try await ha("again", b, c), status: 409, code: Code.conflict, mentions: "connector_id")
        }
    }

    @Test func latitudeMustBeInRange() async throws {
        try await withServer { server in
            let response = try await server.client.post(Paths.sites, ["name": "s", "location": ["lat": "91", "lon": "0"]])
            expectFailure(response, status: 422, code: Code.invalidValue, mentions: "location.lat")
        }
    }

    @Test func deletingASiteRemovesItsChildren() async throws {
        try await withServer { server in
            let client = server.client
            let site = try await client.createSite()
            let lan1 = try await client.createLAN(site: site, lanBody(physport: 2, third: 1))
            let lan2 = try await client.createLAN(site: site, lanBody(physport: 3, third: 2))
            let wan = try await client.createWAN(site: site)
            #expect(try await client.post("\(Paths.site(site))/acls", ["name": "a", "lan_1": ["lan_id": lan1], "lan_2": ["lan_id": lan2]]).status == 200)
            #expect(try await client.post("\(Paths.site(site))/app_configs", ["managed_app_id": "zoom", "breakout": true, "preferred_wans": [wan]]).status == 200)
            #expect(try await client.delete(Paths.site(site)).status == 200)
            let counts = try await server.server.store.writer.read { db in
                try ["lans", "wans", "acls", "app_configs"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)")! }
            }
            #expect(counts == [0, 0, 0, 0])
            expectFailure(try await client.get("\(Paths.site(site))/lans/\(lan1)"), status: 404, code: Code.notFound)
        }
    }
}
