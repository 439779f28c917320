import ConnectorAPI
import Foundation
import Hummingbird
@testable import MockAPI
import Testing

@Suite("Sites")
struct SiteTests {
    /// A site body; `location` and the connectors only when given.
    struct Body: Encodable {
        var name: String?
        var description: String?
        var location: SiteLocation?
        var haMode: Bool?
        var connectorId: String?
        var secondaryConnectorId: String?

        enum CodingKeys: String, CodingKey {
            case name, description, location
            case haMode = "ha_mode"
            case connectorId = "connector_id"
            case secondaryConnectorId = "secondary_connector_id"
        }
    }

    @Test func crudRoundTrip() async throws {
        try await withRouter { api in
            let body = Body(name: "branch-1", description: "d", location: SiteLocation(lat: "37.6", lon: "-122.3"))
            let created = try #require(try api.decode(Site.self, try await api.send(.post, Paths.sites, body: body)).result)
            let id = try #require(created.id)
            #expect(id.count == 32)
            #expect(created.haMode == false)
            #expect(try api.decode(Site.self, try await api.send(.get, Paths.site(id))).result?.name == "branch-1")
            #expect(try api.decode([Site].self, try await api.send(.get, Paths.sites)).result?.count == 1)
            let patched = try #require(try api.decode(Site.self, try await api.send(.patch, Paths.site(id), body: Body(description: "new"))).result)
            #expect(patched.description == "new")
            #expect(patched.name == "branch-1")
            #expect(patched.location?.lat == "37.6")
            let put = try #require(try api.decode(Site.self, try await api.send(.put, Paths.site(id), body: Body(name: "branch-2"))).result)
            #expect(put.name == "branch-2")
            #expect(put.description == nil, "PUT replaces: omitted description is cleared")
            let nameless = try await api.send(.put, Paths.site(id), body: Body(description: "no name"))
            expectFailure(nameless, status: .badRequest, code: Code.missingField, mentions: "name")
            let deleted = try api.decode(Site.self, try await api.send(.delete, Paths.site(id)))
            #expect(deleted.success && deleted.result?.id == id)
            expectFailure(try await api.send(.get, Paths.site(id)), status: .notFound, code: Code.notFound)
        }
    }

    @Test func listFiltersByPrimaryOrSecondaryConnector() async throws {
        try await withRouter { api in
            var ids: [String] = []
            for device in ["a", "b", "c"] {
                ids.append(try await api.createConnector(ConnectorFields(device: ConnectorDeviceOptions(id: device))).id)
            }
            let (a, b, c) = (ids[0], ids[1], ids[2])
            let ha = try await api.createSite(Body(name: "ha", haMode: true, connectorId: a, secondaryConnectorId: b))
            let plain = try await api.createSite(Body(name: "plain", connectorId: c))
            _ = try await api.createSite(Body(name: "empty"))
            for (connector, expected) in [(a, [ha]), (b, [ha]), (c, [plain]), ("unknown", [])] {
                let listed = try api.decode([Site].self, try await api.send(.get, "\(Paths.sites)?connectorid=\(connector)"))
                #expect(listed.result?.map(\.id) == expected, "connector \(connector)")
            }
            #expect(try api.decode([Site].self, try await api.send(.get, Paths.sites)).result?.count == 3)
        }
    }

    @Test func nameIsRequired() async throws {
        try await withRouter { api in
            let response = try await api.send(.post, Paths.sites, body: Body(description: "x"))
            expectFailure(response, status: .badRequest, code: Code.missingField, mentions: "name")
        }
    }

    @Test func duplicateNameIsAConflict() async throws {
        try await withRouter { api in
            _ = try await api.createSite(Body(name: "same"))
            expectFailure(try await api.send(.post, Paths.sites, body: Body(name: "same")), status: .conflict, code: Code.conflict, mentions: "name")
            #expect(try api.decode([Site].self, try await api.send(.get, Paths.sites)).result?.count == 1)
        }
    }

    @Test func connectorMustExistInTheAccount() async throws {
        try await withRouter { api in
            let foreign = try await api.send(
                .post, "/accounts/\(TestServer.otherAccount)/magic/connectors", token: TestServer.otherWriteToken,
                body: ConnectorFields(device: ConnectorDeviceOptions(id: "x"))
            )
            let foreignID = try #require(try api.decode(Connector.self, foreign).result?.id)
            let response = try await api.send(.post, Paths.sites, body: Body(name: "s", connectorId: foreignID))
            expectFailure(response, status: .unprocessableContent, code: Code.invalidValue, mentions: "connector_id")
        }
    }

    @Test func aConnectorServesOneSite() async throws {
        try await withRouter { api in
            let a = try await api.createConnector(ConnectorFields(device: ConnectorDeviceOptions(id: "a"))).id
            _ = try await api.createSite(Body(name: "one", connectorId: a))
            let second = try await api.send(.post, Paths.sites, body: Body(name: "two", connectorId: a))
            expectFailure(second, status: .conflict, code: Code.conflict, mentions: "connector_id")
        }
    }

    @Test func secondaryConnectorNeedsHAMode() async throws {
        try await withRouter { api in
            let a = try await api.createConnector(ConnectorFields(device: ConnectorDeviceOptions(id: "a"))).id
            let b = try await api.createConnector(ConnectorFields(device: ConnectorDeviceOptions(id: "b"))).id
            let response = try await api.send(.post, Paths.sites, body: Body(name: "s", connectorId: a, secondaryConnectorId: b))
            expectFailure(response, status: .unprocessableContent, code: Code.invalidValue, mentions: "ha_mode")
        }
    }

    @Test func latitudeMustBeInRange() async throws {
        try await withRouter { api in
            let response = try await api.send(.post, Paths.sites, body: Body(name: "s", location: SiteLocation(lat: "91", lon: "0")))
            expectFailure(response, status: .unprocessableContent, code: Code.invalidValue, mentions: "location.lat")
        }
    }

    @Test func anHAPairIsTwoDifferentConnectorsOfTheAccountServingNoOtherSite() async throws {
        try await withRouter { api in
            let (a, b, c) = try await api.threeConnectors()
            func ha(_ name: String, _ primary: String, _ secondary: String) async throws -> RouterResponse {
                try await api.send(.post, Paths.sites, body: Body(name: name, haMode: true, connectorId: primary, secondaryConnectorId: secondary))
            }
            let invalid = HTTPResponse.Status.unprocessableContent
            expectFailure(try await ha("same", a, a), status: invalid, code: Code.invalidValue, mentions: "secondary_connector_id")
            expectFailure(
                try await ha("unknown", a, "0123456789abcdef0123456789abcdef"), status: invalid, code: Code.invalidValue, mentions: "secondary_connector_id"
            )
            _ = try await api.createSite(Body(name: "plain", connectorId: c))
            expectFailure(try await ha("taken", a, c), status: .conflict, code: Code.conflict, mentions: "secondary_connector_id")
            expectFailure(try await ha("taken-primary", c, b), status: .conflict, code: Code.conflict, mentions: "connector_id")
            #expect(try await ha("pair", a, b).status == .ok)
            expectFailure(try await ha("again", b, c), status: .conflict, code: Code.conflict, mentions: "connector_id")
        }
    }

    @Test func deletingASiteRemovesItsChildren() async throws {
        try await withRouter { api in
            let site = try await api.createSite()
            let lan1 = try await api.createLAN(site: site, lan(physport: 2, third: 1))
            let lan2 = try await api.createLAN(site: site, lan(physport: 3, third: 2))
            let wan = try await api.createWAN(site: site)
            let acl = ACL(lan1: ACLConfiguration(lanId: lan1), lan2: ACLConfiguration(lanId: lan2), name: "a")
            #expect(try await api.send(.post, "\(Paths.site(site))/acls", body: acl).status == .ok)
            let config = AppConfig(managedAppId: "zoom", breakout: true, preferredWans: [wan])
            #expect(try await api.send(.post, "\(Paths.site(site))/app_configs", body: config).status == .ok)
            #expect(try await api.send(.delete, Paths.site(site)).status == .ok)
            let counts = try await api.server.store.writer.read { db in
                try ["lans", "wans", "acls", "app_configs"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)")! }
            }
            #expect(counts == [0, 0, 0, 0])
            expectFailure(try await api.send(.get, "\(Paths.site(site))/lans/\(lan1)"), status: .notFound, code: Code.notFound)
        }
    }
}

extension RouterClient {
    /// POSTs a site and returns its id.
    func createSite(_ body: SiteTests.Body, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let response = try await send(.post, Paths.sites, body: body)
        let site = try decode(Site.self, response).result
        return try #require(site?.id, "create site: \(String(buffer: response.body))", sourceLocation: sourceLocation)
    }
}
