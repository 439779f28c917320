import Foundation
import Testing
@testable import MockAPI

@Suite("Auth")
struct AuthTests {
    @Test func missingCredentialsIs401() async throws {
        try await withServer { server in
            var client = server.client
            client.token = nil
            expectFailure(try await client.get(Paths.connectors), status: 401, code: Code.unauthenticated, mentions: "Bearer")
        }
    }

    @Test func unknownTokenIs401() async throws {
        try await withServer { server in
            var client = server.client
            client.token = "not-a-token"
            expectFailure(try await client.get(Paths.connectors), status: 401, code: Code.unauthenticated)
        }
    }

    @Test func nonBearerAuthorizationIs401() async throws {
        try await withServer { server in
            var client = server.client
            client.token = nil
            client.extraHeaders = ["Authorization": "Basic dXNlcjpwYXNz"]
            expectFailure(try await client.get(Paths.connectors), status: 401, code: Code.unauthenticated, mentions: "Bearer")
        }
    }

    @Test func tokenOfAnotherAccountIs403() async throws {
        try await withServer { server in
            expectFailure(try await server.otherClient.get(Paths.connectors), status: 403, code: Code.forbidden, mentions: TestServer.account)
            expectFailure(try await server.otherClient.post(Paths.sites, ["name": "x"]), status: 403, code: Code.forbidden)
            #expect(try await server.client.get(Paths.sites).array.isEmpty)
        }
    }

    @Test func readTokenCanRead() async throws {
        try await withServer { server in
            let connectors = try await server.readClient.get(Paths.connectors)
            let sites = try await server.readClient.get(Paths.sites)
            #expect(connectors.status == 200)
            #expect(sites.status == 200)
        }
    }

    @Test func readTokenCannotWrite() async throws {
        try await withServer { server in
            expectFailure(try await server.readClient.post(Paths.sites, ["name": "x"]), status: 403, code: Code.forbidden, mentions: "Magic WAN Write")
            let id = try await server.client.createConnector()["id"] as! String
            expectFailure(try await server.readClient.patch(Paths.connector(id), ["notes": "x"]), status: 403, code: Code.forbidden)
            expectFailure(try await server.readClient.delete(Paths.connector(id)), status: 403, code: Code.forbidden)
            expectFailure(try await server.readClient.post("\(Paths.telemetry(id))/snapshots", try snapshotBody(t: 1)), status: 403, code: Code.forbidden)
            #expect(try await server.client.get(Paths.sites).array.isEmpty)
            #expect(try await server.client.get(Paths.connector(id)).object["notes"] as? String == "")
        }
    }

    @Test func emailAndGlobalKeyAuthenticate() async throws {
        try await withServer { server in
            try server.server.store.addGlobalKey("global-key-1", email: "ops@example.com", account: TestServer.account)
            var client = server.client
            client.token = nil
            client.extraHeaders = ["X-Auth-Email": "ops@example.com", "X-Auth-Key": "global-key-1"]
            #expect(try await client.get(Paths.connectors).status == 200)
            #expect(try await client.post(Paths.sites, ["name": "by-key"]).status == 200)
            client.extraHeaders = ["X-Auth-Email": "someone@example.com", "X-Auth-Key": "global-key-1"]
            expectFailure(try await client.get(Paths.connectors), status: 401, code: Code.unauthenticated)
            client.extraHeaders = ["X-Auth-Key": "global-key-1"]
            expectFailure(try await client.get(Paths.connectors), status: 401, code: Code.unauthenticated, mentions: "together")
        }
    }

    @Test func noAccountSeesAnotherAccountsData() async throws {
        try await withServer { server in
            let mine = try await server.client.createConnector()["id"] as! String
            let site = try await server.client.createSite(["connector_id": mine])
            _ = try await server.client.post("\(Paths.telemetry(mine))/snapshots", try snapshotBody(t: 1))
            // The other account, with its own valid token, asks for my ids under its own account path.
            let other = "/accounts/\(TestServer.otherAccount)/magic"
            let client = server.otherClient
            #expect(try await client.get("\(other)/connectors").array.isEmpty)
            #expect(try await client.get("\(other)/sites").array.isEmpty)
            #expect(try await client.get("\(other)/sites?connectorid=\(mine)").array.isEmpty)
            expectFailure(try await client.get("\(other)/connectors/\(mine)"), status: 404, code: Code.notFound)
            expectFailure(try await client.get("\(other)/sites/\(site)"), status: 404, code: Code.notFound)
            expectFailure(try await client.get("\(other)/sites/\(site)/lans"), status: 404, code: Code.notFound)
            expectFailure(try await client.get("\(other)/connectors/\(mine)/telemetry/snapshots/latest"), status: 404, code: Code.notFound)
            expectFailure(try await client.patch("\(other)/connectors/\(mine)", ["notes": "pwned"]), status: 404, code: Code.notFound)
            expectFailure(try await client.delete("\(other)/sites/\(site)"), status: 404, code: Code.notFound)
            expectFailure(try await client.post("\(other)/connectors/\(mine)/telemetry/snapshots", try snapshotBody(t: 2)), status: 404, code: Code.notFound)
            // Mine is untouched.
            #expect(try await server.client.get(Paths.connector(mine)).object["notes"] as? String == "")
            #expect(try await server.client.get(Paths.site(site)).status == 200)
            #expect(try await server.client.get("\(Paths.telemetry(mine))/snapshots?from=0&to=10").object["count"] as? Int == 1)
        }
    }

    @Test func secretsAreStoredOnlyAsHashes() async throws {
        let server = try await TestServer.start()
        let created = try await server.client.createConnector()
        let license = try #require(created["license_key"] as? String)
        await server.stop()
        var bytes = Data()
        for suffix in ["", "-wal"] {
            bytes += (try? Data(contentsOf: URL(fileURLWithPath: server.databasePath + suffix))) ?? Data()
        }
        #expect(!bytes.isEmpty)
        for secret in [TestServer.writeToken, TestServer.readToken, license] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "secret '\(secret.prefix(6))…' found in clear in the database")
        }
        #expect(bytes.range(of: Data(MockStore.sha256(TestServer.writeToken).utf8)) != nil, "the token's SHA-256 is stored")
    }
}
