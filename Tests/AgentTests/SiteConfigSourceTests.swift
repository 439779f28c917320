@testable import Agent
import ConnectorAPI
import Foundation
import Testing
import TestSupport

/// A site id from the API becomes part of the next requests' paths (`sites/{id}/lans`...): a hostile one (`..`, `/`,
/// `?`, newlines, quotes, `$()`...) is refused after the one listing request, and no other request is made.
@Suite(.serialized)
struct SiteConfigSourceTests {
    @Test("a site whose id is not an id is refused before it becomes a path", arguments: HostileStrings.corpus.map(\.value) + ["../connectors/x", "s?x=1", "a/b"])
    func hostileSiteIDsAreNotFollowed(_ id: String) async throws {
        let listing = try JSONEncoder().encode(Envelope(success: true, result: [Site(id: id, connectorId: "c0ffee00c0ffee00c0ffee00c0ffee00", name: "site")]))
        let body = String(decoding: listing, as: UTF8.self)
        let server = try ScriptedHTTPServer { _, _ in
            .send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        }
        defer { server.stop() }
        let client = APIClient(
            base: try #require(URL(string: server.url + "/client/v4")), accountID: "acc00000000000000000000000000001",
            connectorID: "c0ffee00c0ffee00c0ffee00c0ffee00", token: "test-token", requestTimeout: 5)
        await #expect(throws: APIClientError.self) { _ = try await SiteConfigSource(client: client).fetch() }
        #expect(server.requests.count == 1, "only the listing: \(server.requests.map { $0.prefix(120) })")
    }

    @Test("a well-formed site id is followed to its LANs, WANs and ACLs")
    func aSiteIDIsFollowed() async throws {
        let server = try ScriptedHTTPServer { request, _ in
            let result = request.hasPrefix("GET /client/v4/accounts/acc00000000000000000000000000001/magic/sites?")
                ? #"[{"id":"5173000000000000000000000000abcd","connector_id":"c0ffee00c0ffee00c0ffee00c0ffee00","name":"site"}]"#
                : "[]"
            let body = #"{"success":true,"errors":[],"messages":[],"result":\#(result)}"#
            return .send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        }
        defer { server.stop() }
        let client = APIClient(
            base: try #require(URL(string: server.url + "/client/v4")), accountID: "acc00000000000000000000000000001",
            connectorID: "c0ffee00c0ffee00c0ffee00c0ffee00", token: "test-token", requestTimeout: 5)
        let config = try await SiteConfigSource(client: client).fetch()
        #expect(config?.site.id == "5173000000000000000000000000abcd")
        let paths = server.requests.compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }.sorted()
        #expect(paths.filter { $0.contains("/sites/5173000000000000000000000000abcd/") }.count == 3, "\(paths)")
    }
}
