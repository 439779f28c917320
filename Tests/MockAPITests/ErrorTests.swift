import Foundation
import Testing

@Suite("Errors")
struct ErrorTests {
    @Test func unknownRouteIs404Envelope() async throws {
        try await withServer { server in
            expectFailure(try await server.client.get("/accounts/\(TestServer.account)/magic/teleporters"), status: 404, code: Code.unknownRoute, mentions: "teleporters")
        }
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        try await withServer { server in
            let response = try await server.client.post(Paths.connector("x"), ["notes": "x"])
            expectFailure(response, status: 405, code: Code.methodNotAllowed, mentions: "POST")
            #expect(response.headers["allow"]?.contains("PATCH") == true)
            expectFailure(try await server.client.send("DELETE", Paths.connectors), status: 405, code: Code.methodNotAllowed)
        }
    }

    @Test func oversizedBodyIs413AndStoresNothing() async throws {
        let server = try await TestServer.start(maxBodyBytes: 4096)
        defer { Task { await server.stop() } }
        let response = try await server.client.post(Paths.sites, ["name": "big", "description": String(repeating: "x", count: 10_000)])
        expectFailure(response, status: 413, code: Code.bodyTooLarge, mentions: "4096")
        #expect(try await server.client.get(Paths.sites).array.isEmpty)
        await server.stop()
    }

    @Test func emptyBodyIsMalformed() async throws {
        try await withServer { server in
            expectFailure(try await server.client.send("POST", Paths.sites, raw: ""), status: 400, code: Code.malformedJSON, mentions: "empty")
        }
    }

    @Test func arrayWhereAnObjectBelongsIsAWrongType() async throws {
        try await withServer { server in
            expectFailure(try await server.client.send("POST", Paths.sites, raw: "[1,2]"), status: 400, code: Code.wrongType)
            #expect(try await server.client.get(Paths.sites).array.isEmpty)
        }
    }

    @Test func nullForARequiredObjectNamesTheField() async throws {
        try await withServer { server in
            let site = try await server.client.createSite()
            let response = try await server.client.send("POST", "\(Paths.site(site))/lans", raw: #"{"physport": "two"}"#)
            expectFailure(response, status: 400, code: Code.wrongType, mentions: "physport")
        }
    }

    @Test func successEnvelopeHasTheDocumentedKeys() async throws {
        try await withServer { server in
            let response = try await server.client.get(Paths.sites)
            #expect(response.success == true)
            #expect(response.json["errors"] as? [Any] != nil)
            #expect(response.json["messages"] as? [Any] != nil)
            #expect(response.headers["content-type"]?.hasPrefix("application/json") == true)
        }
    }
}
