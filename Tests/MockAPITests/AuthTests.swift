import ConnectorAPI
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import MockAPI
import Testing

@Suite("Auth")
struct AuthTests {
    static let connectors = Paths.connectors
    static let sites = Paths.sites

    @Test func missingCredentialsIs401() async throws {
        try await withRouter { api in
            expectFailure(try await api.send(.get, Self.connectors, token: nil), status: .unauthorized, code: Code.unauthenticated, mentions: "Bearer")
        }
    }

    @Test func unknownTokenIs401() async throws {
        try await withRouter { api in
            expectFailure(try await api.send(.get, Self.connectors, token: "not-a-token"), status: .unauthorized, code: Code.unauthenticated)
        }
    }

    @Test func nonBearerAuthorizationIs401() async throws {
        try await withRouter { api in
            let response = try await api.send(.get, Self.connectors, token: nil, headers: [.authorization: "Basic dXNlcjpwYXNz"])
            expectFailure(response, status: .unauthorized, code: Code.unauthenticated, mentions: "Bearer")
        }
    }

    @Test func tokenOfAnotherAccountIs403() async throws {
        try await withRouter { api in
            let other = TestServer.otherWriteToken
            expectFailure(try await api.send(.get, Self.connectors, token: other), status: .forbidden, code: Code.forbidden, mentions: TestServer.account)
            expectFailure(try await api.send(.post, Self.sites, token: other, body: ["name": "x"]), status: .forbidden, code: Code.forbidden)
            #expect(try api.decode([Site].self, try await api.send(.get, Self.sites)).result == [])
        }
    }

    @Test func readTokenCanRead() async throws {
        try await withRouter { api in
            let connectors = try await api.send(.get, Self.connectors, token: TestServer.readToken)
            let sites = try await api.send(.get, Self.sites, token: TestServer.readToken)
            #expect(connectors.status == .ok)
            #expect(sites.status == .ok)
        }
    }

    @Test func readTokenCannotWrite() async throws {
        try await withRouter { api in
            let read = TestServer.readToken
            expectFailure(
                try await api.send(.post, Self.sites, token: read, body: ["name": "x"]), status: .forbidden, code: Code.forbidden, mentions: "Magic WAN Write"
            )
            let id = try await api.createConnector(ConnectorTests.licensed).id
            expectFailure(try await api.send(.patch, Paths.connector(id), token: read, body: ["notes": "x"]), status: .forbidden, code: Code.forbidden)
            expectFailure(try await api.send(.delete, Paths.connector(id), token: read), status: .forbidden, code: Code.forbidden)
            let snapshot = try JSONSerialization.data(withJSONObject: try snapshotBody(t: 1))
            expectFailure(
                try await api.send(.post, "\(Paths.telemetry(id))/snapshots", token: read, raw: snapshot), status: .forbidden, code: Code.forbidden
            )
            #expect(try api.decode([Site].self, try await api.send(.get, Self.sites)).result == [])
            #expect(try api.decode(Connector.self, try await api.send(.get, Paths.connector(id))).result?.notes == "")
        }
    }

    @Test func emailAndGlobalKeyAuthenticate() async throws {
        try await withRouter { api in
            try api.server.store.addGlobalKey("global-key-1", email: "ops@example.com", account: TestServer.account)
            let key = RouterClient.headers(["X-Auth-Email": "ops@example.com", "X-Auth-Key": "global-key-1"])
            #expect(try await api.send(.get, Self.connectors, token: nil, headers: key).status == .ok)
            #expect(try await api.send(.post, Self.sites, token: nil, headers: key, body: ["name": "by-key"]).status == .ok)
            let wrongEmail = RouterClient.headers(["X-Auth-Email": "someone@example.com", "X-Auth-Key": "global-key-1"])
            expectFailure(try await api.send(.get, Self.connectors, token: nil, headers: wrongEmail), status: .unauthorized, code: Code.unauthenticated)
            let keyAlone = RouterClient.headers(["X-Auth-Key": "global-key-1"])
            expectFailure(
                try await api.send(.get, Self.connectors, token: nil, headers: keyAlone), status: .unauthorized, code: Code.unauthenticated, mentions: "together"
            )
        }
    }

    @Test func noAccountSeesAnotherAccountsData() async throws {
        try await withRouter { api in
            let mine = try await api.createConnector(ConnectorTests.licensed).id
            let created = try await api.send(.post, Self.sites, body: ["name": "mine", "connector_id": mine])
            let site = try #require(try api.decode(Site.self, created).result?.id)
            let snapshot = { (t: Double) in try JSONSerialization.data(withJSONObject: try snapshotBody(t: t)) }
            #expect(try await api.send(.post, "\(Paths.telemetry(mine))/snapshots", raw: try snapshot(1)).status == .ok)
            // The other account, with its own valid token, asks for my ids under its own account path.
            let other = "/accounts/\(TestServer.otherAccount)/magic"
            let token = TestServer.otherWriteToken
            #expect(try api.decode([Connector].self, try await api.send(.get, "\(other)/connectors", token: token)).result == [])
            #expect(try api.decode([Site].self, try await api.send(.get, "\(other)/sites", token: token)).result == [])
            #expect(try api.decode([Site].self, try await api.send(.get, "\(other)/sites?connectorid=\(mine)", token: token)).result == [])
            let refused: [(HTTPRequest.Method, String, Data?)] = [
                (.get, "\(other)/connectors/\(mine)", nil),
                (.get, "\(other)/sites/\(site)", nil),
                (.get, "\(other)/sites/\(site)/lans", nil),
                (.get, "\(other)/connectors/\(mine)/telemetry/snapshots/latest", nil),
                (.patch, "\(other)/connectors/\(mine)", Data(#"{"notes":"pwned"}"#.utf8)),
                (.delete, "\(other)/sites/\(site)", nil),
                (.post, "\(other)/connectors/\(mine)/telemetry/snapshots", try snapshot(2)),
            ]
            for (method, path, body) in refused {
                expectFailure(try await api.send(method, path, token: token, raw: body), status: .notFound, code: Code.notFound)
            }
            // Mine is untouched.
            #expect(try api.decode(Connector.self, try await api.send(.get, Paths.connector(mine))).result?.notes == "")
            #expect(try await api.send(.get, Paths.site(site)).status == .ok)
            let page = try api.decode(Count.self, try await api.send(.get, "\(Paths.telemetry(mine))/snapshots?from=0&to=10"))
            #expect(page.result?.count == 1)
        }
    }

    /// Every account route, by the router's own list: each answers 401 without a credential, 403 to another
    /// account's, and 403 to a read credential unless it is a GET. Nothing reaches a handler unchecked.
    @Test func everyAccountRouteIsGuardedByTheAuthMiddleware() async throws {
        try await withRouter { api in
            let router = Router(context: MockRequestContext.self)
            api.server.addRoutes(to: router)
            let accountRoutes = router.routes.filter { $0.path.description.hasPrefix("\(apiBase)/accounts/{account_id}/") }
            #expect(accountRoutes.count > 100, "the whole router: \(accountRoutes.count)")
            for route in accountRoutes {
                // Parameters become ids that exist nowhere; the account is the test account.
                let path = route.path.components.map { component in
                    component.description.hasPrefix("{") ? "x1" : component.description
                }.joined(separator: "/").replacingOccurrences(of: "client/v4/accounts/x1", with: "accounts/\(TestServer.account)")
                let label = "\(route.method) \(route.path)"
                let anonymous = try await api.send(route.method, "/" + path, token: nil)
                #expect(anonymous.status == .unauthorized, "\(label) without a credential: \(anonymous.status)")
                let foreign = try await api.send(route.method, "/" + path, token: TestServer.otherWriteToken)
                #expect(foreign.status == .forbidden, "\(label) with another account's token: \(foreign.status)")
                let read = try await api.send(route.method, "/" + path, token: TestServer.readToken)
                if route.method == .get {
                    #expect(read.status != .forbidden && read.status != .unauthorized, "\(label) with a read token: \(read.status)")
                } else {
                    #expect(read.status == .forbidden, "\(label) with a read token: \(read.status)")
                }
            }
        }
    }

    /// A known path with another method is 405 with `Allow`, whoever asks: the method is checked before the credential.
    @Test func wrongMethodIs405BeforeAuthentication() async throws {
        try await withRouter { api in
            for method in [HTTPRequest.Method.trace, .connect, .options, .head] {
                let response = try await api.send(method, Self.connectors, token: nil)
                #expect(response.status == .methodNotAllowed, "\(method): \(response.status)")
                #expect(response.headers[.allow] == "GET, POST", "\(method): \(response.headers)")
            }
            expectFailure(try await api.send(.put, Self.connectors, token: nil), status: .methodNotAllowed, code: Code.methodNotAllowed)
        }
    }

    /// A handler registered outside the account groups has no account: reading it fails closed (401).
    @Test func routeOutsideTheAccountGroupsHasNoAccount() async throws {
        let router = Router(context: MockRequestContext.self)
        router.add(middleware: EnvelopeMiddleware())
        router.get("/stray") { _, context -> String in try context.account }
        try await Application(router: router).test(.router) { client in
            let response = try await client.executeRequest(uri: "/stray", method: .get, headers: [:], body: nil)
            expectFailure(response, status: .unauthorized, code: Code.unauthenticated)
        }
    }

    /// The part of a telemetry page this suite reads.
    struct Count: Codable, Sendable { let count: Int }

    @Test(TestDatabase.sqliteOnly) func secretsAreStoredOnlyAsHashes() async throws {
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
