import ConnectorAPI
import Foundation
import Hummingbird
import Testing

@Suite("Connectors")
struct ConnectorTests {
    static let licensed = ConnectorFields(device: ConnectorDeviceOptions(provisionLicense: true))

    @Test func createWithProvisionLicenseReturnsTheKeyOnce() async throws {
        try await withRouter { api in
            let created = try await api.createConnector(Self.licensed)
            let key = try #require(created.licenseKey)
            #expect(key.hasPrefix("CFMW-"))
            #expect(created.activated == false)
            #expect(created.interruptWindowDaysOfWeek == ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"])
            #expect(created.timezone == "UTC")
            #expect(created.device?.id.isEmpty == false)
            let fetched = try api.decode(Connector.self, try await api.send(.get, Paths.connector(created.id)))
            #expect(fetched.success)
            #expect(fetched.result?.licenseKey == nil, "the key is shown only at creation")
            #expect(fetched.result?.id == created.id)
        }
    }

    @Test func createWithDeviceIDAndSerialNumber() async throws {
        try await withRouter { api in
            let byID = try await api.createConnector(ConnectorFields(device: ConnectorDeviceOptions(id: "dev-1"), notes: "rack 4"))
            #expect(byID.device?.id == "dev-1")
            #expect(byID.notes == "rack 4")
            #expect(byID.licenseKey == nil)
            let bySerial = try await api.createConnector(ConnectorFields(device: ConnectorDeviceOptions(serialNumber: "SN-42")))
            #expect(bySerial.device?.serialNumber == "SN-42")
        }
    }

    @Test func listReturnsEveryConnectorOfTheAccount() async throws {
        try await withRouter { api in
            _ = try await api.createConnector(Self.licensed)
            _ = try await api.createConnector(ConnectorFields(device: ConnectorDeviceOptions(id: "d2")))
            let list = try api.decode([Connector].self, try await api.send(.get, Paths.connectors))
            #expect(list.success)
            #expect(list.result?.count == 2)
        }
    }

    @Test func putReplacesAndResetsOmittedFields() async throws {
        try await withRouter { api in
            let created = try await api.createConnector(
                ConnectorFields(device: ConnectorDeviceOptions(id: "d"), activated: true, notes: "old", timezone: "Europe/Paris")
            )
            let put = try api.decode(Connector.self, try await api.send(.put, Paths.connector(created.id), body: ConnectorFields(notes: "new")))
            #expect(put.success)
            #expect(put.result?.notes == "new")
            #expect(put.result?.timezone == "UTC", "PUT replaces: omitted fields return to defaults")
            #expect(put.result?.activated == false)
            #expect(put.result?.device?.id == "d")
        }
    }

    @Test func patchChangesOnlyGivenFields() async throws {
        try await withRouter { api in
            let created = try await api.createConnector(
                ConnectorFields(device: ConnectorDeviceOptions(id: "d"), notes: "keep", timezone: "Europe/Paris")
            )
            let change = ConnectorFields(activated: true, interruptWindowHourOfDay: 3)
            let patched = try api.decode(Connector.self, try await api.send(.patch, Paths.connector(created.id), body: change))
            #expect(patched.success)
            #expect(patched.result?.activated == true)
            #expect(patched.result?.interruptWindowHourOfDay == 3)
            #expect(patched.result?.notes == "keep")
            #expect(patched.result?.timezone == "Europe/Paris")
        }
    }

    @Test func patchWithProvisionLicenseIssuesANewKey() async throws {
        try await withRouter { api in
            let created = try await api.createConnector(Self.licensed)
            let first = try #require(created.licenseKey)
            let response = try await api.send(.patch, Paths.connector(created.id), body: ConnectorFields(provisionLicense: true))
            let second = try #require(try api.decode(Connector.self, response).result?.licenseKey)
            #expect(second != first)
        }
    }

    @Test func deleteRemovesTheConnector() async throws {
        try await withRouter { api in
            let id = try await api.createConnector(Self.licensed).id
            let deleted = try api.decode(Connector.self, try await api.send(.delete, Paths.connector(id)))
            #expect(deleted.success)
            #expect(deleted.result?.id == id)
            expectFailure(try await api.send(.get, Paths.connector(id)), status: .notFound, code: Code.notFound, mentions: id)
        }
    }

    @Test func deleteOfAConnectorThatServesASiteIsAConflict() async throws {
        try await withRouter { api in
            let id = try await api.createConnector(Self.licensed).id
            #expect(try await api.send(.post, Paths.sites, body: ["name": "served", "connector_id": id]).status == .ok)
            expectFailure(try await api.send(.delete, Paths.connector(id)), status: .conflict, code: Code.conflict)
            #expect(try await api.send(.get, Paths.connector(id)).status == .ok)
        }
    }

    @Test func duplicateDeviceIDIsAConflict() async throws {
        try await withRouter { api in
            let same = ConnectorFields(device: ConnectorDeviceOptions(id: "same"))
            _ = try await api.createConnector(same)
            expectFailure(try await api.send(.post, Paths.connectors, body: same), status: .conflict, code: Code.conflict, mentions: "device.id")
            #expect(try api.decode([Connector].self, try await api.send(.get, Paths.connectors)).result?.count == 1)
        }
    }
}
