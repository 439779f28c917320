import Foundation
import Testing

/// One test per connector rule; each also checks that the rejected request changed nothing.
@Suite("Connector validation")
struct ConnectorValidationTests {
    /// PATCHes `body` onto a fresh connector, expects a 422 naming `field`, and checks the connector is unchanged.
    private func expectRejectedPatch(_ body: [String: Any], field: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withServer { server in
            let created = try await server.client.createConnector(["device": ["id": "d"]])
            let id = created["id"] as! String
            let before = try await server.client.get(Paths.connector(id)).text
            let response = try await server.client.patch(Paths.connector(id), body)
            expectFailure(response, status: 422, code: Code.invalidValue, mentions: field, sourceLocation: sourceLocation)
            let after = try await server.client.get(Paths.connector(id)).text
            #expect(before == after, "a rejected PATCH must not change the connector", sourceLocation: sourceLocation)
        }
    }

    @Test func durationBelowOneHourIsRejected() async throws {
        try await expectRejectedPatch(["interrupt_window_duration_hours": 0], field: "interrupt_window_duration_hours")
    }

    @Test func durationAbove24HoursIsRejected() async throws {
        try await expectRejectedPatch(["interrupt_window_duration_hours": 25], field: "interrupt_window_duration_hours")
    }

    @Test func hourOfDayAbove23IsRejected() async throws {
        try await expectRejectedPatch(["interrupt_window_hour_of_day": 24], field: "interrupt_window_hour_of_day")
    }

    @Test func fractionalHourOfDayIsRejected() async throws {
        try await expectRejectedPatch(["interrupt_window_hour_of_day": 2.5], field: "interrupt_window_hour_of_day")
    }

    @Test func unknownDayNameIsRejected() async throws {
        try await expectRejectedPatch(["interrupt_window_days_of_week": ["Monday", "Funday"]], field: "interrupt_window_days_of_week[1]")
    }

    @Test func embargoDateMustBeYYYYMMDD() async throws {
        try await expectRejectedPatch(["interrupt_window_embargo_dates": ["2026/12/25"]], field: "interrupt_window_embargo_dates[0]")
    }

    @Test func embargoDateMustBeARealDate() async throws {
        try await expectRejectedPatch(["interrupt_window_embargo_dates": ["2026-12-25", "2026-02-30"]], field: "interrupt_window_embargo_dates[1]")
    }

    @Test func timezoneMustBeAnIANAZone() async throws {
        try await expectRejectedPatch(["timezone": "Mars/Olympus_Mons"], field: "timezone")
    }

    @Test func validWindowIsAccepted() async throws {
        try await withServer { server in
            let created = try await server.client.createConnector([
                "device": ["id": "d"], "interrupt_window_duration_hours": 24, "interrupt_window_hour_of_day": 23,
                "interrupt_window_days_of_week": ["Saturday", "Sunday"], "interrupt_window_embargo_dates": ["2028-02-29"],
                "timezone": "America/New_York",
            ])
            #expect(created["timezone"] as? String == "America/New_York")
            #expect(created["interrupt_window_embargo_dates"] as? [String] == ["2028-02-29"])
        }
    }

    @Test func deviceNeedsExactlyOneOption() async throws {
        try await withServer { server in
            let two = try await server.client.post(Paths.connectors, ["device": ["id": "a", "serial_number": "b"]])
            expectFailure(two, status: 422, code: Code.invalidValue, mentions: "exactly one")
            let none = try await server.client.post(Paths.connectors, ["device": [String: Any]()])
            expectFailure(none, status: 422, code: Code.invalidValue, mentions: "device")
            #expect(try await server.client.get(Paths.connectors).array.isEmpty)
        }
    }

    @Test func deviceIsRequiredOnCreate() async throws {
        try await withServer { server in
            let response = try await server.client.post(Paths.connectors, ["notes": "no device"])
            expectFailure(response, status: 400, code: Code.missingField, mentions: "device")
        }
    }

    @Test func provisionLicenseFalseAloneIsRejected() async throws {
        try await withServer { server in
            let response = try await server.client.post(Paths.connectors, ["device": ["provision_license": false]])
            expectFailure(response, status: 422, code: Code.invalidValue, mentions: "device.provision_license")
        }
    }

    @Test func wrongTypeNamesTheField() async throws {
        try await withServer { server in
            let response = try await server.client.post(Paths.connectors, ["device": ["id": "d"], "notes": 5])
            expectFailure(response, status: 400, code: Code.wrongType, mentions: "notes")
        }
    }

    @Test func malformedJSONIsRejectedAndStoresNothing() async throws {
        try await withServer { server in
            let response = try await server.client.send("POST", Paths.connectors, raw: #"{"device": {"id": "d""#)
            expectFailure(response, status: 400, code: Code.malformedJSON, mentions: "JSON")
            #expect(try await server.client.get(Paths.connectors).array.isEmpty)
        }
    }

    @Test func unknownConnectorIs404() async throws {
        try await withServer { server in
            expectFailure(try await server.client.get(Paths.connector("nope")), status: 404, code: Code.notFound, mentions: "nope")
            expectFailure(try await server.client.patch(Paths.connector("nope"), ["notes": "x"]), status: 404, code: Code.notFound)
            expectFailure(try await server.client.delete(Paths.connector("nope")), status: 404, code: Code.notFound)
        }
    }

    @Test func deviceCannotChangeOnUpdate() async throws {
        try await withServer { server in
            let id = try await server.client.createConnector(["device": ["id": "d"]])["id"] as! String
            let response = try await server.client.put(Paths.connector(id), ["device": ["id": "other"]])
            expectFailure(response, status: 422, code: Code.invalidValue, mentions: "device")
        }
    }
}
