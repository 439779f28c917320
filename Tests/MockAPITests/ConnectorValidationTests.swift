import ConnectorAPI
import Foundation
import Hummingbird
import Testing

/// One test per connector rule; each also checks that the rejected request changed nothing.
@Suite("Connector validation")
struct ConnectorValidationTests {
    /// PATCHes `body` onto a fresh connector, expects a 422 naming `field`, and checks the connector is unchanged.
    private func expectRejectedPatch(
        _ body: ConnectorFields, field: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await withRouter { api in
            let id = try await api.createConnector(ConnectorFields(device: ConnectorDeviceOptions(id: "d"))).id
            let before = try await api.send(.get, Paths.connector(id)).text
            let response = try await api.send(.patch, Paths.connector(id), body: body)
            expectFailure(
                response, status: .unprocessableContent, code: Code.invalidValue, mentions: field,
                sourceLocation: sourceLocation)
            let after = try await api.send(.get, Paths.connector(id)).text
            #expect(before == after, "a rejected PATCH must not change the connector", sourceLocation: sourceLocation)
        }
    }

    @Test func durationBelowOneHourIsRejected() async throws {
        try await expectRejectedPatch(
            ConnectorFields(interruptWindowDurationHours: 0), field: "interrupt_window_duration_hours")
    }

    @Test func durationAbove24HoursIsRejected() async throws {
        try await expectRejectedPatch(
            ConnectorFields(interruptWindowDurationHours: 25), field: "interrupt_window_duration_hours")
    }

    @Test func hourOfDayAbove23IsRejected() async throws {
        try await expectRejectedPatch(
            ConnectorFields(interruptWindowHourOfDay: 24), field: "interrupt_window_hour_of_day")
    }

    @Test func fractionalHourOfDayIsRejected() async throws {
        try await expectRejectedPatch(
            ConnectorFields(interruptWindowHourOfDay: 2.5), field: "interrupt_window_hour_of_day")
    }

    @Test func unknownDayNameIsRejected() async throws {
        try await expectRejectedPatch(
            ConnectorFields(interruptWindowDaysOfWeek: ["Monday", "Funday"]), field: "interrupt_window_days_of_week[1]")
    }

    @Test func embargoDateMustBeYYYYMMDD() async throws {
        try await expectRejectedPatch(
            ConnectorFields(interruptWindowEmbargoDates: ["2026/12/25"]), field: "interrupt_window_embargo_dates[0]")
    }

    @Test func embargoDateMustBeARealDate() async throws {
        try await expectRejectedPatch(
            ConnectorFields(interruptWindowEmbargoDates: ["2026-12-25", "2026-02-30"]),
            field: "interrupt_window_embargo_dates[1]"
        )
    }

    @Test func timezoneMustBeAnIANAZone() async throws {
        try await expectRejectedPatch(ConnectorFields(timezone: "Mars/Olympus_Mons"), field: "timezone")
    }

    @Test func validWindowIsAccepted() async throws {
        try await withRouter { api in
            let created = try await api.createConnector(
                ConnectorFields(
                    device: ConnectorDeviceOptions(id: "d"), interruptWindowDaysOfWeek: ["Saturday", "Sunday"],
                    interruptWindowDurationHours: 24,
                    interruptWindowEmbargoDates: ["2028-02-29"], interruptWindowHourOfDay: 23,
                    timezone: "America/New_York"
                ))
            #expect(created.timezone == "America/New_York")
            #expect(created.interruptWindowEmbargoDates == ["2028-02-29"])
        }
    }

    @Test func deviceNeedsExactlyOneOption() async throws {
        try await withRouter { api in
            let two = try await api.send(
                .post, Paths.connectors,
                body: ConnectorFields(device: ConnectorDeviceOptions(id: "a", serialNumber: "b")))
            expectFailure(two, status: .unprocessableContent, code: Code.invalidValue, mentions: "exactly one")
            let none = try await api.send(
                .post, Paths.connectors, body: ConnectorFields(device: ConnectorDeviceOptions()))
            expectFailure(none, status: .unprocessableContent, code: Code.invalidValue, mentions: "device")
            #expect(try await api.get([Connector].self, Paths.connectors).result == [])
        }
    }

    @Test func deviceIsRequiredOnCreate() async throws {
        try await withRouter { api in
            let response = try await api.send(.post, Paths.connectors, body: ConnectorFields(notes: "no device"))
            expectFailure(response, status: .badRequest, code: Code.missingField, mentions: "device")
        }
    }

    @Test func provisionLicenseFalseAloneIsRejected() async throws {
        try await withRouter { api in
            let response = try await api.send(
                .post, Paths.connectors, body: ConnectorFields(device: ConnectorDeviceOptions(provisionLicense: false)))
            expectFailure(
                response, status: .unprocessableContent, code: Code.invalidValue, mentions: "device.provision_license")
        }
    }

    @Test func wrongTypeNamesTheField() async throws {
        try await withRouter { api in
            let response = try await api.send(
                .post, Paths.connectors, raw: Data(#"{"device": {"id": "d"}, "notes": 5}"#.utf8))
            expectFailure(response, status: .badRequest, code: Code.wrongType, mentions: "notes")
        }
    }

    @Test func malformedJSONIsRejectedAndStoresNothing() async throws {
        try await withRouter { api in
            let response = try await api.send(.post, Paths.connectors, raw: Data(#"{"device": {"id": "d""#.utf8))
            expectFailure(response, status: .badRequest, code: Code.malformedJSON, mentions: "JSON")
            #expect(try await api.get([Connector].self, Paths.connectors).result == [])
        }
    }

    @Test func unknownConnectorIs404() async throws {
        try await withRouter { api in
            expectFailure(
                try await api.send(.get, Paths.connector("nope")), status: .notFound, code: Code.notFound,
                mentions: "nope")
            expectFailure(
                try await api.send(.patch, Paths.connector("nope"), body: ConnectorFields(notes: "x")),
                status: .notFound, code: Code.notFound)
            expectFailure(try await api.send(.delete, Paths.connector("nope")), status: .notFound, code: Code.notFound)
        }
    }

    @Test func deviceCannotChangeOnUpdate() async throws {
        try await withRouter { api in
            let id = try await api.createConnector(ConnectorFields(device: ConnectorDeviceOptions(id: "d"))).id
            let response = try await api.send(
                .put, Paths.connector(id), body: ConnectorFields(device: ConnectorDeviceOptions(id: "other")))
            expectFailure(response, status: .unprocessableContent, code: Code.invalidValue, mentions: "device")
        }
    }
}
