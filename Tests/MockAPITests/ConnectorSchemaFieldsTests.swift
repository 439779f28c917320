import Foundation
import Testing

/// What the current official schema adds to connectors and what openapi.json advertises on the lists: `primary`,
/// `site_id` and `device.type` served (derived from the sites and the license), `?device_type=` on GET /connectors
/// and `?connector_identifier=` on GET /sites both filter.
@Suite("Connectors: primary, site_id, device.type and the list filters")
struct ConnectorSchemaFieldsTests {
    @Test func derivedFieldsAndFilters() async throws {
        try await withServer { server in
            let client = server.client
            let licensed = try await client.createConnector()
            #expect((licensed["device"] as? [String: Any])?["type"] as? String == "LICENSED")
            #expect(licensed["primary"] as? Bool == true && licensed["site_id"] == nil)
            let managed = try await client.createConnector(["device": ["serial_number": "SN-1"]])
            #expect((managed["device"] as? [String: Any])?["type"] as? String == "MANAGED")
            let (a, b) = (try #require(licensed["id"] as? String), try #require(managed["id"] as? String))

            #expect(try await client.get("\(Paths.connectors)?device_type=LICENSED").array.map { $0["id"] as? String } == [a])
            #expect(try await client.get("\(Paths.connectors)?device_type=MANAGED").array.map { $0["id"] as? String } == [b])
            expectFailure(try await client.get("\(Paths.connectors)?device_type=virtual"), status: 400, code: Code.invalidQuery, mentions: "device_type")

            let site = try await client.createSite(["connector_id": a, "secondary_connector_id": b, "ha_mode": true])
            let primary = try await client.get(Paths.connector(a)).object
            let secondary = try await client.get(Paths.connector(b)).object
            #expect(primary["site_id"] as? String == site && primary["primary"] as? Bool == true)
            #expect(secondary["site_id"] as? String == site && secondary["primary"] as? Bool == false)
            let patched = try await client.patch(Paths.connector(b), ["notes": "standby"]).object
            #expect(patched["site_id"] as? String == site && patched["primary"] as? Bool == false, "an update answers with them too")

            _ = try await client.createSite()
            for query in ["connector_identifier", "connectorid"] {
                #expect(try await client.get("\(Paths.sites)?\(query)=\(b)").array.map { $0["id"] as? String } == [site], "\(query)")
            }
            #expect(try await client.get(Paths.sites).array.count == 2)
            #expect(try await client.put(Paths.site(site), ["name": "no connectors"]).status == 200)
            let freed = try await client.get(Paths.connector(b)).object
            #expect(freed["site_id"] == nil && freed["primary"] as? Bool == true, "derived, so never stale")
        }
    }
}
