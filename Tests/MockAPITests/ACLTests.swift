import Foundation
import Testing

@Suite("ACLs")
struct ACLTests {
    /// A site with two LANs; returns (site, lan1, lan2).
    private func siteWithTwoLANs(_ client: TestClient) async throws -> (String, String, String) {
        let site = try await client.createSite()
        let lan1 = try await client.createLAN(site: site, lanBody(physport: 2, third: 1, name: "users"))
        let lan2 = try await client.createLAN(site: site, lanBody(physport: 3, third: 2, name: "servers"))
        return (site, lan1, lan2)
    }

    private func expectRejected(_ change: @escaping (inout [String: Any], String, String) -> Void, field: String, status: Int = 422, code: Int = Code.invalidValue, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await withServer { server in
            let (site, lan1, lan2) = try await siteWithTwoLANs(server.client)
            var body: [String: Any] = ["name": "acl", "lan_1": ["lan_id": lan1], "lan_2": ["lan_id": lan2]]
            change(&body, lan1, lan2)
            expectFailure(try await server.client.post("\(Paths.site(site))/acls", body), status: status, code: code, mentions: field, sourceLocation: sourceLocation)
            #expect(try await server.client.get("\(Paths.site(site))/acls").array.isEmpty, sourceLocation: sourceLocation)
        }
    }

    @Test func crudRoundTrip() async throws {
        try await withServer { server in
            let client = server.client
            let (site, lan1, lan2) = try await siteWithTwoLANs(client)
            let created = try await client.post("\(Paths.site(site))/acls", [
                "name": "users-to-servers", "protocols": ["tcp"],
                "lan_1": ["lan_id": lan1, "ports": [443], "subnets": ["10.0.1.0/25"]],
                "lan_2": ["lan_id": lan2, "port_ranges": ["8000-8100"], "subnets": ["10.0.2.10"]],
            ])
            #expect(created.status == 200)
            let id = try #require(created.object["id"] as? String)
            #expect((created.object["lan_1"] as? [String: Any])?["lan_name"] as? String == "users", "lan_name is filled from the LAN")
            #expect(created.object["forward_locally"] as? Bool == false)
            #expect(created.object["unidirectional"] as? Bool == false)
            #expect(try await client.get("\(Paths.site(site))/acls/\(id)").object["name"] as? String == "users-to-servers")
            #expect(try await client.get("\(Paths.site(site))/acls").array.count == 1)
            #expect(try await client.patch("\(Paths.site(site))/acls/\(id)", ["unidirectional": true]).object["unidirectional"] as? Bool == true)
            let put = try await client.put("\(Paths.site(site))/acls/\(id)", ["name": "renamed", "lan_1": ["lan_id": lan2], "lan_2": ["lan_id": lan1]])
            #expect(put.object["name"] as? String == "renamed")
            #expect(put.object["protocols"] == nil)
            #expect(try await client.delete("\(Paths.site(site))/acls/\(id)").status == 200)
            #expect(try await client.get("\(Paths.site(site))/acls").array.isEmpty)
        }
    }

    @Test func lanOfAnotherSiteIsRejected() async throws {
        try await withServer { server in
            let (site, lan1, _) = try await siteWithTwoLANs(server.client)
            let otherSite = try await server.client.createSite()
            let foreignLAN = try await server.client.createLAN(site: otherSite, lanBody(physport: 4, third: 9))
            let response = try await server.client.post("\(Paths.site(site))/acls", ["name": "x", "lan_1": ["lan_id": lan1], "lan_2": ["lan_id": foreignLAN]])
            expectFailure(response, status: 422, code: Code.invalidValue, mentions: "lan_2.lan_id")
        }
    }

    @Test func unknownLANIsRejected() async throws {
        try await expectRejected({ body, _, _ in body["lan_1"] = ["lan_id": "nope"] }, field: "lan_1.lan_id")
    }

    @Test func bothSidesMustDiffer() async throws {
        try await expectRejected({ body, lan1, _ in body["lan_2"] = ["lan_id": lan1] }, field: "lan_2.lan_id")
    }

    @Test func lan2IsRequired() async throws {
        try await expectRejected({ body, _, _ in body["lan_2"] = nil }, field: "lan_2", status: 400, code: Code.missingField)
    }

    @Test func portsMustBeInRange() async throws {
        try await expectRejected({ body, lan1, _ in body["lan_1"] = ["lan_id": lan1, "ports": [70000]] }, field: "lan_1.ports[0]")
    }

    @Test func portRangesMustParse() async throws {
        try await expectRejected({ body, lan1, _ in body["lan_1"] = ["lan_id": lan1, "port_ranges": ["900-100"]] }, field: "lan_1.port_ranges[0]")
    }

    @Test func subnetsMustParse() async throws {
        try await expectRejected({ body, _, lan2 in body["lan_2"] = ["lan_id": lan2, "subnets": ["10.0.2.0/33"]] }, field: "lan_2.subnets[0]")
    }

    @Test func protocolsMustBeKnown() async throws {
        try await expectRejected({ body, _, _ in body["protocols"] = ["tcp", "sctp"] }, field: "protocols[1]")
    }

    @Test func lanUsedByAnACLCannotBeDeleted() async throws {
        try await withServer { server in
            let (site, lan1, lan2) = try await siteWithTwoLANs(server.client)
            #expect(try await server.client.post("\(Paths.site(site))/acls", ["name": "a", "lan_1": ["lan_id": lan1], "lan_2": ["lan_id": lan2]]).status == 200)
            expectFailure(try await server.client.delete("\(Paths.site(site))/lans/\(lan1)"), status: 409, code: Code.conflict, mentions: "ACL")
            #expect(try await server.client.get("\(Paths.site(site))/lans/\(lan1)").status == 200)
        }
    }
}
