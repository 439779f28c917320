import Foundation
import TestSupport
import Testing

/// Connector interrupts: create and list as the official schema has them, one pending at a time (409), the device's
/// report that sets `triggered_at`, the body rules, account isolation and hostile input.
@Suite("Connector interrupts")
struct InterruptTests {
    static func interrupts(_ connector: String) -> String { "\(Paths.connector(connector))/interrupts" }

    @Test func pendingUntilTheDeviceTriggersIt() async throws {
        try await withServer { server in
            let client = server.client
            let connector = try #require(try await client.createConnector()["id"] as? String)
            let path = Self.interrupts(connector)
            #expect(try await client.get(path).array.isEmpty)
            let created = try await client.post(path, ["restart": [String: Any]()])
            #expect(created.status == 200, "\(created.text)")
            let submitted = try #require(created.object["submitted_at"] as? String)
            #expect((created.object["restart"] as? [String: Any])?["purge"] as? Bool == false && created.object["triggered_at"] == nil)
            expectFailure(try await client.post(path, ["shutdown": ["purge": true]]), status: 409, code: Code.conflict, mentions: "pending restart")

            expectFailure(try await client.post("\(path)/triggered", ["submitted_at": "2000-01-01T00:00:00Z"]), status: 404, code: Code.notFound)
            let triggered = try await client.post("\(path)/triggered", ["submitted_at": submitted])
            let at = try #require(triggered.object["triggered_at"] as? String, "\(triggered.text)")
            #expect(try await client.post("\(path)/triggered", ["submitted_at": submitted]).object["triggered_at"] as? String == at, "idempotent")

            let next = try await client.post(path, ["shutdown": ["purge": true]])
            #expect(next.status == 200 && (next.object["shutdown"] as? [String: Any])?["purge"] as? Bool == true, "\(next.text)")
            let listed = try await client.get(path).array
            #expect(listed.count == 2 && listed[0]["triggered_at"] as? String == at && listed[1]["triggered_at"] == nil)
            #expect(listed[0]["restart"] != nil && listed[1]["shutdown"] != nil, "oldest first")
            #expect(try await client.delete(Paths.connector(connector)).status == 200)
            expectFailure(try await client.get(path), status: 404, code: Code.notFound)
        }
    }

    @Test(arguments: [
        ("{}", 422, Code.invalidValue, "none given"),
        (#"{"reboot": {}, "shutdown": {}}"#, 422, Code.invalidValue, "given: reboot, shutdown"),
        (#"{"reboot": true}"#, 400, Code.wrongType, "reboot"),
        (#"{"restart": {"purge": "yes"}}"#, 400, Code.wrongType, "restart.purge"),
        ("[]", 400, Code.wrongType, "expected an object"),
    ])
    func refusesBadBodies(body: String, status: Int, code: Int, mentions: String) async throws {
        try await withServer { server in
            let connector = try #require(try await server.client.createConnector()["id"] as? String)
            expectFailure(try await server.client.send("POST", Self.interrupts(connector), raw: body), status: status, code: code, mentions: mentions)
            #expect(try await server.client.get(Self.interrupts(connector)).array.isEmpty)
        }
    }

    @Test("another account cannot list, create or trigger; a read token only lists; an unknown connector is 404")
    func accessAndIsolation() async throws {
        try await withServer { server in
            let client = server.client
            let connector = try #require(try await client.createConnector()["id"] as? String)
            let submitted = try #require(try await client.post(Self.interrupts(connector), ["reboot": [String: Any]()]).object["submitted_at"] as? String)
            let other = server.otherClient
            let theirs = "/accounts/\(TestServer.otherAccount)/magic/connectors/\(connector)/interrupts"
            expectFailure(try await other.get(theirs), status: 404, code: Code.notFound)
            expectFailure(try await other.post(theirs, ["restart": [String: Any]()]), status: 404, code: Code.notFound)
            expectFailure(try await other.post("\(theirs)/triggered", ["submitted_at": submitted]), status: 404, code: Code.notFound)
            #expect(try await other.get(Self.interrupts(connector)).status == 403)
            #expect(try await server.readClient.get(Self.interrupts(connector)).array.count == 1)
            #expect(try await server.readClient.post(Self.interrupts(connector), ["restart": [String: Any]()]).status == 403)
            #expect(try await server.readClient.post("\(Self.interrupts(connector))/triggered", ["submitted_at": submitted]).status == 403)
            expectFailure(try await client.get(Self.interrupts("nosuchconnector")), status: 404, code: Code.notFound)
            #expect(try await client.get(Self.interrupts(connector)).array.first?["triggered_at"] == nil, "still pending")
        }
    }

    @Test("hostile submitted_at in the device's report: 404 with a bounded, printable message; never a 5xx")
    func hostileReport() async throws {
        try await withServer { server in
            let connector = try #require(try await server.client.createConnector()["id"] as? String)
            _ = try await server.client.post(Self.interrupts(connector), ["reboot": [String: Any]()])
            for (label, value) in HostileStrings.corpus {
                let response = try await server.client.post("\(Self.interrupts(connector))/triggered", ["submitted_at": value])
                #expect(response.status == 404, "\(label): \(response.status)")
                #expect(response.errorMessage.count < 200 && !response.errorMessage.unicodeScalars.contains { $0.value < 0x20 }, "\(label)")
            }
            #expect(try await server.client.get(Self.interrupts(connector)).array.first?["triggered_at"] == nil)
            #expect(!HostileStrings.markerExists)
        }
    }
}
