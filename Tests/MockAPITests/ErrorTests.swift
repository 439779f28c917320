import ConnectorAPI
import Foundation
import Hummingbird
import Testing

@Suite("Errors")
struct ErrorTests {
    @Test func unknownRouteIs404Envelope() async throws {
        try await withRouter { api in
            let response = try await api.send(.get, "/accounts/\(TestServer.account)/magic/teleporters")
            expectFailure(response, status: .notFound, code: Code.unknownRoute, mentions: "teleporters")
        }
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        try await withRouter { api in
            let response = try await api.send(.post, Paths.connector("x"), body: ["notes": "x"])
            expectFailure(response, status: .methodNotAllowed, code: Code.methodNotAllowed, mentions: "POST")
            #expect(response.headers[.allow] == "GET, PUT, PATCH, DELETE")
            expectFailure(try await api.send(.delete, Paths.connectors), status: .methodNotAllowed, code: Code.methodNotAllowed)
        }
    }

    /// Over a real socket: the limit applies while the body streams in.
    @Test func oversizedBodyIs413AndStoresNothing() async throws {
        let server = try await TestServer.start(maxBodyBytes: 4096)
        defer { Task { await server.stop() } }
        let response = try await server.client.post(Paths.sites, ["name": "big", "description": String(repeating: "x", count: 10_000)])
        expectFailure(response, status: 413, code: Code.bodyTooLarge, mentions: "4096")
        #expect(try await server.client.get(Paths.sites).array.isEmpty)
        await server.stop()
    }

    @Test func emptyBodyIsMalformed() async throws {
        try await withRouter { api in
            expectFailure(try await api.send(.post, Paths.sites, raw: Data()), status: .badRequest, code: Code.malformedJSON, mentions: "empty")
        }
    }

    @Test func arrayWhereAnObjectBelongsIsAWrongType() async throws {
        try await withRouter { api in
            expectFailure(try await api.send(.post, Paths.sites, raw: Data("[1,2]".utf8)), status: .badRequest, code: Code.wrongType)
            #expect(try api.decode([Site].self, try await api.send(.get, Paths.sites)).result == [])
        }
    }

    @Test func nullForARequiredObjectNamesTheField() async throws {
        try await withRouter { api in
            let site = try #require(try api.decode(Site.self, try await api.send(.post, Paths.sites, body: ["name": "s"])).result?.id)
            let response = try await api.send(.post, "\(Paths.site(site))/lans", raw: Data(#"{"physport": "two"}"#.utf8))
            expectFailure(response, status: .badRequest, code: Code.wrongType, mentions: "physport")
        }
    }

    @Test func successEnvelopeHasTheDocumentedKeys() async throws {
        try await withRouter { api in
            let response = try await api.send(.get, Paths.sites)
            let envelope = try api.decode([Site].self, response)
            #expect(envelope.success && envelope.errors.isEmpty && envelope.messages.isEmpty && envelope.result == [])
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }
}

/// Fidelity defects issue 18 found, each answered as the API answers them.
@Suite("Fidelity: integer fields, methods, media types, empty bundles")
struct FidelityTests {
    @Test("a fraction or an out-of-range number in an integer field is 422 naming the field, not 'malformed JSON'")
    func integerFields() async throws {
        try await withRouter { api in
            let site = try await api.createSite()
            for (body, field) in [
                (#"{"name": "l", "physport": 2, "bond_id": 1.5}"#, "bond_id"),
                (#"{"name": "l", "physport": 2, "vlan_tag": 99999999999999999999}"#, "vlan_tag"),
                (#"{"name": "l", "physport": 2.5}"#, "physport"),
            ] {
                let response = try await api.send(.post, "\(Paths.site(site))/lans", raw: Data(body.utf8))
                expectFailure(response, status: .unprocessableContent, code: Code.invalidValue, mentions: field)
            }
            let wan = try await api.send(.post, "\(Paths.site(site))/wans", raw: Data(#"{"physport": 1, "priority": 0.5}"#.utf8))
            expectFailure(wan, status: .unprocessableContent, code: Code.invalidValue, mentions: "priority")
            // Still malformed when it is not JSON at all.
            let broken = try await api.send(.post, "\(Paths.site(site))/lans", raw: Data(#"{"physport": 1,"#.utf8))
            expectFailure(broken, status: .badRequest, code: Code.malformedJSON, mentions: "JSON")
        }
    }

    /// Over a real socket: URLSession speaks CONNECT only to proxies, so it goes by hand to the listener.
    @Test("TRACE and CONNECT on a known path are 405 with Allow, like any other method")
    func traceAndConnect() async throws {
        try await withServer { server in
            let trace = try await server.client.send("TRACE", Paths.sites)
            #expect(trace.status == 405 && trace.headers["allow"]?.contains("GET") == true, "TRACE: \(trace.status)")
            // URLSession speaks CONNECT only to proxies: send it by hand.
            let port = server.port
            let head = try await RawSocket.onThread { () -> String in
                let fd = try RawSocket.connect(port: port)
                defer { close(fd) }
                try RawSocket.send(fd, "CONNECT /client/v4\(Paths.sites) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(TestServer.writeToken)\r\n\r\n")
                var buffer = [UInt8](repeating: 0, count: 512)
                var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&entry, 1, 5000) == 1 else { return "" }
                let count = read(fd, &buffer, buffer.count)
                return String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
            }
            #expect(head.hasPrefix("HTTP/1.1 405"), "CONNECT: \(head.prefix(80))")
        }
    }

    @Test("a body declared as something other than JSON is 415; JSON, +json, none and curl's -d default are read")
    func mediaTypes() async throws {
        try await withRouter { api in
            func post(_ type: String, _ name: String) async throws -> RouterResponse {
                let headers = RouterClient.headers(["Content-Type": type, "Authorization": "Bearer \(TestServer.writeToken)"])
                return try await api.request(.post, uri: "/client/v4\(Paths.sites)", headers: headers, body: ByteBuffer(string: #"{"name": "\#(name)"}"#))
            }
            let plain = try await post("text/plain", "s")
            #expect(plain.status == .unsupportedMediaType && plain.isFailureEnvelope)
            for type in ["application/x-www-form-urlencoded", "application/merge-patch+json", "application/json; charset=utf-8"] {
                #expect(try await post(type, "s-\(type.count)").status == .ok, "\(type)")
            }
            // No content type at all.
            let bare = try await api.request(
                .post, uri: "/client/v4\(Paths.sites)", headers: RouterClient.headers(["Authorization": "Bearer \(TestServer.writeToken)"]),
                body: ByteBuffer(string: #"{"name": "bare"}"#)
            )
            #expect(bare.status == .ok, "\(bare.text)")
        }
    }

    @Test("PUT of an upgrade bundle without a body is refused")
    func emptyBundle() async throws {
        try await withRouter { api in
            let connector = try await api.createConnector(ConnectorFields(device: ConnectorDeviceOptions(id: "bundle"))).id
            let response = try await api.request(
                .put, uri: "/client/v4\(Paths.connector(connector))/upgrade/bundle",
                headers: RouterClient.headers(["Authorization": "Bearer \(TestServer.writeToken)"])
            )
            expectFailure(response, status: .badRequest, code: Code.malformedJSON, mentions: "empty")
        }
    }
}
