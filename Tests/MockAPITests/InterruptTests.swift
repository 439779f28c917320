import ConnectorAPI
import Foundation
import Hummingbird
import TestSupport
import Testing

/// Connector interrupts: create and list as the official schema has them, one pending at a time (409), the device's
/// report that sets `triggered_at`, the body rules, account isolation and hostile input.
@Suite("Connector interrupts")
struct InterruptTests {
    static func interrupts(_ connector: String) -> String { "\(Paths.connector(connector))/interrupts" }

    private func connector(_ api: RouterClient) async throws -> String {
        try await api.createConnector(ConnectorFields(device: ConnectorDeviceOptions(provisionLicense: true))).id
    }

    @Test func pendingUntilTheDeviceTriggersIt() async throws {
        try await withRouter { api in
            let connector = try await self.connector(api)
            let path = Self.interrupts(connector)
            #expect(try await api.get([ConnectorInterrupt].self, path).result == [])
            let created = try await api.send(.post, path, body: ConnectorInterrupt(.restart))
            #expect(created.status == .ok, "\(created.text)")
            let interrupt = try #require(try api.decode(ConnectorInterrupt.self, created).result)
            let submitted = try #require(interrupt.submittedAt)
            #expect(try interrupt.restart?.purge == false && !api.resultKeys(created).contains("triggered_at"))
            expectFailure(
                try await api.send(.post, path, body: ConnectorInterrupt(.shutdown, purge: true)), status: .conflict,
                code: Code.conflict,
                mentions: "pending restart"
            )

            expectFailure(
                try await api.send(
                    .post, "\(path)/triggered", body: InterruptTriggered(submittedAt: "2000-01-01T00:00:00Z")),
                status: .notFound,
                code: Code.notFound
            )
            let triggered = try await api.send(
                .post, "\(path)/triggered", body: InterruptTriggered(submittedAt: submitted))
            let at = try #require(
                try api.decode(ConnectorInterrupt.self, triggered).result?.triggeredAt, "\(triggered.text)")
            let again = try await api.send(.post, "\(path)/triggered", body: InterruptTriggered(submittedAt: submitted))
            #expect(try api.decode(ConnectorInterrupt.self, again).result?.triggeredAt == at, "idempotent")

            let next = try await api.send(.post, path, body: ConnectorInterrupt(.shutdown, purge: true))
            #expect(
                next.status == .ok && (try? api.decode(ConnectorInterrupt.self, next).result?.shutdown?.purge) == true,
                "\(next.text)")
            let listResponse = try await api.send(.get, path)
            let listed = try api.decode([ConnectorInterrupt].self, listResponse).result ?? []
            #expect(listed.count == 2 && listed.first?.triggeredAt == at)
            #expect(try api.resultElementKeys(listResponse).last?.contains("triggered_at") == false)
            #expect(listed.first?.restart != nil && listed.last?.shutdown != nil, "oldest first")
            #expect(try await api.send(.delete, Paths.connector(connector)).status == .ok)
            expectFailure(try await api.send(.get, path), status: .notFound, code: Code.notFound)
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
        try await withRouter { api in
            let connector = try await self.connector(api)
            expectFailure(
                try await api.send(.post, Self.interrupts(connector), raw: Data(body.utf8)),
                status: .init(code: status), code: code, mentions: mentions
            )
            #expect(try await api.get([ConnectorInterrupt].self, Self.interrupts(connector)).result == [])
        }
    }

    @Test("another account cannot list, create or trigger; a read token only lists; an unknown connector is 404")
    func accessAndIsolation() async throws {
        try await withRouter { api in
            let connector = try await self.connector(api)
            let created = try await api.send(.post, Self.interrupts(connector), body: ConnectorInterrupt(.reboot))
            let submitted = try #require(try api.decode(ConnectorInterrupt.self, created).result?.submittedAt)
            let other = TestServer.otherWriteToken
            let theirs = "/accounts/\(TestServer.otherAccount)/magic/connectors/\(connector)/interrupts"
            expectFailure(try await api.send(.get, theirs, token: other), status: .notFound, code: Code.notFound)
            expectFailure(
                try await api.send(.post, theirs, token: other, body: ConnectorInterrupt(.restart)), status: .notFound,
                code: Code.notFound)
            expectFailure(
                try await api.send(
                    .post, "\(theirs)/triggered", token: other, body: InterruptTriggered(submittedAt: submitted)),
                status: .notFound,
                code: Code.notFound
            )
            #expect(try await api.send(.get, Self.interrupts(connector), token: other).status == .forbidden)
            let read = TestServer.readToken
            #expect(
                try await api.get([ConnectorInterrupt].self, Self.interrupts(connector), token: read).result?.count == 1
            )
            #expect(
                try await api.send(.post, Self.interrupts(connector), token: read, body: ConnectorInterrupt(.restart))
                    .status == .forbidden)
            let trigger = try await api.send(
                .post, "\(Self.interrupts(connector))/triggered", token: read,
                body: InterruptTriggered(submittedAt: submitted)
            )
            #expect(trigger.status == .forbidden)
            expectFailure(
                try await api.send(.get, Self.interrupts("nosuchconnector")), status: .notFound, code: Code.notFound)
            let pending = try api.resultElementKeys(try await api.send(.get, Self.interrupts(connector)))
            #expect(pending.count == 1 && pending.first?.contains("triggered_at") == false, "still pending")
        }
    }

    @Test("hostile submitted_at in the device's report: 404 with a bounded, printable message; never a 5xx")
    func hostileReport() async throws {
        try await withRouter { api in
            let connector = try await self.connector(api)
            _ = try await api.send(.post, Self.interrupts(connector), body: ConnectorInterrupt(.reboot))
            for (label, value) in HostileStrings.corpus {
                let response = try await api.send(
                    .post, "\(Self.interrupts(connector))/triggered", body: InterruptTriggered(submittedAt: value))
                #expect(response.status == .notFound, "\(label): \(response.status)")
                let message = (try? api.decode(ConnectorInterrupt.self, response))?.errors.first?.message ?? ""
                #expect(
                    !message.isEmpty && message.count < 200 && !message.unicodeScalars.contains { $0.value < 0x20 },
                    "\(label)")
            }
            let pending = try api.resultElementKeys(try await api.send(.get, Self.interrupts(connector)))
            #expect(pending.count == 1 && pending.first?.contains("triggered_at") == false)
            #expect(!HostileStrings.markerExists)
        }
    }
}
