import Foundation
import Testing

@Suite("Connectors")
struct ConnectorTests {
    @Test func createWithProvisionLicenseReturnsTheKeyOnce() async throws {
        try await withServer { server in
            let created = try await server.client.createConnector()
            let id = try #require(created["id"] as? String)
            let key = try #require(created["license_key"] as? String)
            #expect(key.hasPrefix("CFMW-"))
            #expect(created["activated"] as? Bool == false)
            #expect(created["interrupt_window_days_of_week"] as? [String] == ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"])
            #expect(created["timezone"] as? String == "UTC")
            #expect((created["device"] as? [String: Any])?["id"] is String)
            let fetched = try await server.client.get(Paths.connector(id))
            #expect(fetched.status == 200)
            #expect(fetched.object["license_key"] == nil, "the key is shown only at creation")
            #expect(fetched.object["id"] as? String == id)
        }
    }

    @Test func createWithDeviceIDAndSerialNumber() async throws {
        try await withServer { server in
            let byID = try await server.client.createConnector(["device": ["id": "dev-1"], "notes": "rack 4"])
            #expect((byID["device"] as? [String: Any])?["id"] as? String == "dev-1")
            #expect(byID["notes"] as? String == "rack 4")
            #expect(byID["license_key"] == nil)
            let bySerial = try await server.client.createConnector(["device": ["serial_number": "SN-42"]])
            #expect((bySerial["device"] as? [String: Any])?["serial_number"] as? String == "SN-42")
        }
    }

    @Test func listReturnsEveryConnectorOfTheAccount() async throws {
        try await withServer { server in
            _ = try await server.client.createConnector()
            _ = try await server.client.createConnector(["device": ["id": "d2"]])
            let list = try await server.client.get(Paths.connectors)
            #expect(list.status == 200)
            #expect(list.array.count == 2)
        }
    }

    @Test func putReplacesAndResetsOmittedFields() async throws {
        try await withServer { server in
            let created = try await server.client.createConnector(["device": ["id": "d"], "notes": "old", "timezone": "Europe/Paris", "activated": true])
            let id = created["id"] as! String
            let put = try await server.client.put(Paths.connector(id), ["notes": "new"])
            #expect(put.status == 200)
            #expect(put.object["notes"] as? String == "new")
            #expect(put.object["timezone"] as? String == "UTC", "PUT replaces: omitted fields return to defaults")
            #expect(put.object["activated"] as? Bool == false)
            #expect((put.object["device"] as? [String: Any])?["id"] as? String == "d")
        }
    }

    @Test func patchChangesOnlyGivenFields() async throws {
        try await withServer { server in
            let created = try await server.client.createConnector(["device": ["id": "d"], "notes": "keep", "timezone": "Europe/Paris"])
            let id = created["id"] as! String
            let patched = try await server.client.patch(Paths.connector(id), ["activated": true, "interrupt_window_hour_of_day": 3])
            #expect(patched.status == 200)
            #expect(patched.object["activated"] as? Bool == true)
            #expect(patched.object["interrupt_window_hour_of_day"] as? Int == 3)
            #expect(patched.object["notes"] as? String == "keep")
            #expect(patched.object["timezone"] as? String == "Europe/Paris")
        }
    }

    @Test func patchWithProvisionLicenseIssuesANewKey() async throws {
        try await withServer { server in
            let created = try await server.client.createConnector()
            let id = created["id"] as! String
            let first = created["license_key"] as! String
            let patched = try await server.client.patch(Paths.connector(id), ["provision_license": true])
            let second = try #require(patched.object["license_key"] as? String)
            #expect(second != first)
        }
    }

    @Test func deleteRemovesTheConnector() async throws {
        try await withServer { server in
            let id = try await server.client.createConnector()["id"] as! String
            let deleted = try await server.client.delete(Paths.connector(id))
            #expect(deleted.status == 200)
            #expect(deleted.object["id"] as? String == id)
            let gone = try await server.client.get(Paths.connector(id))
            #expect(gone.status == 404)
            #expect(gone.isFailureEnvelope)
            #expect(gone.errorMessage.contains(id))
        }
    }

    @Test func deleteOfAConnectorThatServesASiteIsAConflict() async throws {
        try await withServer { server in
            let id = try await server.client.createConnector()["id"] as! String
            _ = try await server.client.createSite(["connector_id": id])
            let response = try await server.client.delete(Paths.connector(id))
            #expect(response.status == 409)
            #expect(response.errorCode == 1007)
            #expect(try await server.client.get(Paths.connector(id)).status == 200)
        }
    }

    @Test func duplicateDeviceIDIsAConflict() async throws {
        try await withServer { server in
            _ = try await server.client.createConnector(["device": ["id": "same"]])
            let response = try await server.client.post(Paths.connectors, ["device": ["id": "same"]])
            #expect(response.status == 409)
            #expect(response.errorMessage.contains("device.id"))
            #expect(try await server.client.get(Paths.connectors).array.count == 1)
        }
    }
}
