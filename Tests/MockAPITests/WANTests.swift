import ConnectorAPI
import Foundation
import Hummingbird
import Testing

@Suite("WANs")
struct WANTests {
    private func expectRejected(
        _ body: WAN, status: HTTPResponse.Status = .unprocessableContent, code: Int = Code.invalidValue, field: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await withRouter { api in
            let site = try await api.createSite()
            expectFailure(
                try await api.send(.post, "\(Paths.site(site))/wans", body: body), status: status, code: code,
                mentions: field,
                sourceLocation: sourceLocation
            )
            #expect(
                try await api.get([WAN].self, "\(Paths.site(site))/wans").result == [], sourceLocation: sourceLocation)
        }
    }

    @Test func crudRoundTrip() async throws {
        try await withRouter { api in
            let site = try await api.createSite()
            let body = WAN(
                name: "isp-a", physport: 1, priority: 1,
                staticAddressing: WANStaticAddressing(address: "203.0.113.2/24", gatewayAddress: "203.0.113.1")
            )
            let created = try await api.send(.post, "\(Paths.site(site))/wans", body: body)
            #expect(created.status == .ok)
            let wan = try #require(try api.decode([WAN].self, created).result?.first)
            let id = try #require(wan.id)
            #expect(wan.healthCheckRate == "mid", "documented default")
            #expect(wan.vlanTag == 0)
            #expect(try await api.get(WAN.self, "\(Paths.site(site))/wans/\(id)").result?.name == "isp-a")
            #expect(try await api.get([WAN].self, "\(Paths.site(site))/wans").result?.count == 1)
            let patched = try await api.send(.patch, "\(Paths.site(site))/wans/\(id)", body: WAN(priority: 5))
            #expect(try api.decode(WAN.self, patched).result?.priority == 5)
            let put = try await api.send(.put, "\(Paths.site(site))/wans/\(id)", body: WAN(name: "isp-b"))
            #expect(try api.decode(WAN.self, put).result?.physport == 1, "PUT keeps the required physport when omitted")
            #expect(try !api.resultKeys(put).contains("static_addressing"))
            #expect(try await api.send(.delete, "\(Paths.site(site))/wans/\(id)").status == .ok)
            #expect(try await api.get([WAN].self, "\(Paths.site(site))/wans").result == [])
        }
    }

    @Test func physportIsRequired() async throws {
        try await expectRejected(WAN(name: "w"), status: .badRequest, code: Code.missingField, field: "physport")
    }

    @Test func vlanTagMustBeInRange() async throws {
        try await expectRejected(WAN(physport: 1, vlanTag: 4095), field: "vlan_tag")
    }

    @Test func gatewayMustBeInsideTheWANSubnet() async throws {
        try await expectRejected(
            WAN(
                physport: 1,
                staticAddressing: WANStaticAddressing(address: "203.0.113.2/24", gatewayAddress: "198.51.100.1")),
            field: "static_addressing.gateway_address"
        )
    }

    @Test func gatewayIsRequiredWithStaticAddressing() async throws {
        try await expectRejected(
            WAN(physport: 1, staticAddressing: WANStaticAddressing(address: "203.0.113.2/24")), status: .badRequest,
            code: Code.missingField, field: "gateway_address"
        )
    }

    @Test func healthCheckRateMustBeKnown() async throws {
        try await expectRejected(WAN(healthCheckRate: "turbo", physport: 1), field: "health_check_rate")
    }
}
