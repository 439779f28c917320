import ConnectorAPI
import Foundation
import Hummingbird
import Testing

@Suite("ACLs")
struct ACLTests {
    /// A site with two LANs; returns (site, lan1, lan2).
    private func siteWithTwoLANs(_ api: RouterClient) async throws -> (String, String, String) {
        let site = try await api.createSite()
        let lan1 = try await api.createLAN(site: site, lan(physport: 2, third: 1, name: "users"))
        let lan2 = try await api.createLAN(site: site, lan(physport: 3, third: 2, name: "servers"))
        return (site, lan1, lan2)
    }

    private func expectRejected(
        _ change: @escaping @Sendable (inout ACL, String, String) -> Void, field: String,
        status: HTTPResponse.Status = .unprocessableContent,
        code: Int = Code.invalidValue, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await withRouter { api in
            let (site, lan1, lan2) = try await siteWithTwoLANs(api)
            var body = ACL(lan1: ACLConfiguration(lanId: lan1), lan2: ACLConfiguration(lanId: lan2), name: "acl")
            change(&body, lan1, lan2)
            expectFailure(
                try await api.send(.post, "\(Paths.site(site))/acls", body: body), status: status, code: code,
                mentions: field,
                sourceLocation: sourceLocation
            )
            #expect(
                try await api.get([ACL].self, "\(Paths.site(site))/acls").result == [], sourceLocation: sourceLocation)
        }
    }

    @Test func crudRoundTrip() async throws {
        try await withRouter { api in
            let (site, lan1, lan2) = try await siteWithTwoLANs(api)
            let body = ACL(
                lan1: ACLConfiguration(lanId: lan1, ports: [443], subnets: ["10.0.1.0/25"]),
                lan2: ACLConfiguration(lanId: lan2, portRanges: ["8000-8100"], subnets: ["10.0.2.10"]),
                name: "users-to-servers", protocols: ["tcp"]
            )
            let created = try await api.send(.post, "\(Paths.site(site))/acls", body: body)
            #expect(created.status == .ok)
            let acl = try #require(try api.decode(ACL.self, created).result)
            let id = try #require(acl.id)
            #expect(acl.lan1?.lanName == "users", "lan_name is filled from the LAN")
            #expect(acl.forwardLocally == false)
            #expect(acl.unidirectional == false)
            #expect(try await api.get(ACL.self, "\(Paths.site(site))/acls/\(id)").result?.name == "users-to-servers")
            #expect(try await api.get([ACL].self, "\(Paths.site(site))/acls").result?.count == 1)
            let patched = try await api.send(.patch, "\(Paths.site(site))/acls/\(id)", body: ACL(unidirectional: true))
            #expect(try api.decode(ACL.self, patched).result?.unidirectional == true)
            let replacement = ACL(
                lan1: ACLConfiguration(lanId: lan2), lan2: ACLConfiguration(lanId: lan1), name: "renamed")
            let put = try await api.send(.put, "\(Paths.site(site))/acls/\(id)", body: replacement)
            #expect(try api.decode(ACL.self, put).result?.name == "renamed")
            #expect(try !api.resultKeys(put).contains("protocols"))
            #expect(try await api.send(.delete, "\(Paths.site(site))/acls/\(id)").status == .ok)
            #expect(try await api.get([ACL].self, "\(Paths.site(site))/acls").result == [])
        }
    }

    @Test func lanOfAnotherSiteIsRejected() async throws {
        try await withRouter { api in
            let (site, lan1, _) = try await siteWithTwoLANs(api)
            let otherSite = try await api.createSite()
            let foreignLAN = try await api.createLAN(site: otherSite, lan(physport: 4, third: 9))
            let body = ACL(lan1: ACLConfiguration(lanId: lan1), lan2: ACLConfiguration(lanId: foreignLAN), name: "x")
            let response = try await api.send(.post, "\(Paths.site(site))/acls", body: body)
            expectFailure(response, status: .unprocessableContent, code: Code.invalidValue, mentions: "lan_2.lan_id")
        }
    }

    @Test func unknownLANIsRejected() async throws {
        try await expectRejected({ body, _, _ in body.lan1 = ACLConfiguration(lanId: "nope") }, field: "lan_1.lan_id")
    }

    @Test func bothSidesMustDiffer() async throws {
        try await expectRejected({ body, lan1, _ in body.lan2 = ACLConfiguration(lanId: lan1) }, field: "lan_2.lan_id")
    }

    @Test func lan2IsRequired() async throws {
        try await expectRejected(
            { body, _, _ in body.lan2 = nil }, field: "lan_2", status: .badRequest, code: Code.missingField)
    }

    @Test func portsMustBeInRange() async throws {
        try await expectRejected(
            { body, lan1, _ in body.lan1 = ACLConfiguration(lanId: lan1, ports: [70000]) }, field: "lan_1.ports[0]")
    }

    @Test func portRangesMustParse() async throws {
        try await expectRejected(
            { body, lan1, _ in body.lan1 = ACLConfiguration(lanId: lan1, portRanges: ["900-100"]) },
            field: "lan_1.port_ranges[0]"
        )
    }

    @Test func subnetsMustParse() async throws {
        try await expectRejected(
            { body, _, lan2 in body.lan2 = ACLConfiguration(lanId: lan2, subnets: ["10.0.2.0/33"]) },
            field: "lan_2.subnets[0]"
        )
    }

    @Test func protocolsMustBeKnown() async throws {
        try await expectRejected({ body, _, _ in body.protocols = ["tcp", "sctp"] }, field: "protocols[1]")
    }

    @Test func lanUsedByAnACLCannotBeDeleted() async throws {
        try await withRouter { api in
            let (site, lan1, lan2) = try await siteWithTwoLANs(api)
            let body = ACL(lan1: ACLConfiguration(lanId: lan1), lan2: ACLConfiguration(lanId: lan2), name: "a")
            #expect(try await api.send(.post, "\(Paths.site(site))/acls", body: body).status == .ok)
            expectFailure(
                try await api.send(.delete, "\(Paths.site(site))/lans/\(lan1)"), status: .conflict, code: Code.conflict,
                mentions: "ACL")
            #expect(try await api.send(.get, "\(Paths.site(site))/lans/\(lan1)").status == .ok)
        }
    }
}
