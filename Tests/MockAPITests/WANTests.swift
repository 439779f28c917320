import Foundation
import Testing

@Suite("WANs")
struct WANTests {
    private func expectRejected(_ body: [String: Any], status: Int = 422, code: Int = Code.invalidValue, field: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withServer { server in
            let site = try await server.client.createSite()
            expectFailure(try await server.client.post("\(Paths.site(site))/wans", body), status: status, code: code, mentions: field, sourceLocation: sourceLocation)
            #expect(try await server.client.get("\(Paths.site(site))/wans").array.isEmpty, sourceLocation: sourceLocation)
        }
    }

    @Test func crudRoundTrip() async throws {
        try await withServer { server in
            let client = server.client
            let site = try await client.createSite()
            let created = try await client.post("\(Paths.site(site))/wans", [
                "name": "isp-a", "physport": 1, "priority": 1,
                "static_addressing": ["address": "203.0.113.2/24", "gateway_address": "203.0.113.1"],
            ])
            #expect(created.status == 200)
            let wan = try #require(created.array.first)
            let id = try #require(wan["id"] as? String)
            #expect(wan["health_check_rate"] as? String == "mid", "documented default")
            #expect(wan["vlan_tag"] as? Int == 0)
            #expect(try await client.get("\(Paths.site(site))/wans/\(id)").object["name"] as? String == "isp-a")
            #expect(try await client.get("\(Paths.site(site))/wans").array.count == 1)
            #expect(try await client.patch("\(Paths.site(site))/wans/\(id)", ["priority": 5]).object["priority"] as? Int == 5)
            let put = try await client.put("\(Paths.site(site))/wans/\(id)", ["name": "isp-b"])
            #expect(put.object["physport"] as? Int == 1, "PUT keeps the required physport when omitted")
            #expect(put.object["static_addressing"] == nil)
            #expect(try await client.delete("\(Paths.site(site))/wans/\(id)").status == 200)
            #expect(try await client.get("\(Paths.site(site))/wans").array.isEmpty)
        }
    }

    @Test func physportIsRequired() async throws {
        try await expectRejected(["name": "w"], status: 400, code: Code.missingField, field: "physport")
    }

    @Test func vlanTagMustBeInRange() async throws {
        try await expectRejected(["physport": 1, "vlan_tag": 4095], field: "vlan_tag")
    }

    @Test func gatewayMustBeInsideTheWANSubnet() async throws {
        try await expectRejected(
            ["physport": 1, "static_addressing": ["address": "203.0.113.2/24", "gateway_address": "198.51.100.1"]],
            field: "static_addressing.gateway_address"
        )
    }

    @Test func gatewayIsRequiredWithStaticAddressing() async throws {
        try await expectRejected(["physport": 1, "static_addressing": ["address": "203.0.113.2/24"]], status: 400, code: Code.missingField, field: "gateway_address")
    }

    @Test func healthCheckRateMustBeKnown() async throws {
        try await expectRejected(["physport": 1, "health_check_rate": "turbo"], field: "health_check_rate")
    }
}
