import ConnectorAPI
import Foundation
import Hummingbird
import Testing

/// What the current official schema adds to connectors and what openapi.json advertises on the lists: `primary`,
/// `site_id` and `device.type` served (derived from the sites and the license), `?device_type=` on GET /connectors
/// and `?connector_identifier=` on GET /sites both filter.
@Suite("Connectors: primary, site_id, device.type and the list filters")
struct ConnectorSchemaFieldsTests {
    @Test func derivedFieldsAndFilters() async throws {
        try await withRouter { api in
            let licensedResponse = try await api.send(
                .post, Paths.connectors, body: ConnectorFields(device: ConnectorDeviceOptions(provisionLicense: true)))
            let licensed = try #require(
                try api.decode(Connector.self, licensedResponse).result, "\(licensedResponse.text)")
            #expect(licensed.device?.type == "LICENSED")
            #expect(try licensed.primary == true && !api.resultKeys(licensedResponse).contains("site_id"))
            let managed = try await api.createConnector(
                ConnectorFields(device: ConnectorDeviceOptions(serialNumber: "SN-1")))
            #expect(managed.device?.type == "MANAGED")
            let (a, b) = (licensed.id, managed.id)

            #expect(
                try await api.get([Connector].self, "\(Paths.connectors)?device_type=LICENSED").result?.map(\.id) == [a]
            )
            #expect(
                try await api.get([Connector].self, "\(Paths.connectors)?device_type=MANAGED").result?.map(\.id) == [b])
            expectFailure(
                try await api.send(.get, "\(Paths.connectors)?device_type=virtual"), status: .badRequest,
                code: Code.invalidQuery, mentions: "device_type")

            let site = try await api.createSite(
                SiteTests.Body(name: "ha-pair", haMode: true, connectorId: a, secondaryConnectorId: b))
            let primary = try await api.get(Connector.self, Paths.connector(a)).result
            let secondary = try await api.get(Connector.self, Paths.connector(b)).result
            #expect(primary?.siteId == site && primary?.primary == true)
            #expect(secondary?.siteId == site && secondary?.primary == false)
            let patched = try api.decode(
                Connector.self, try await api.send(.patch, Paths.connector(b), body: ConnectorFields(notes: "standby"))
            ).result
            #expect(patched?.siteId == site && patched?.primary == false, "an update answers with them too")

            _ = try await api.createSite()
            for query in ["connector_identifier", "connectorid"] {
                #expect(
                    try await api.get([Site].self, "\(Paths.sites)?\(query)=\(b)").result?.map(\.id) == [site],
                    "\(query)")
            }
            #expect(try await api.get([Site].self, Paths.sites).result?.count == 2)
            #expect(
                try await api.send(.put, Paths.site(site), body: SiteTests.Body(name: "no connectors")).status == .ok)
            let freedResponse = try await api.send(.get, Paths.connector(b))
            let freed = try api.decode(Connector.self, freedResponse).result
            #expect(
                try !api.resultKeys(freedResponse).contains("site_id") && freed?.primary == true,
                "derived, so never stale")
        }
    }
}
