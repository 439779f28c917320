import Foundation
import Testing

@Suite("LANs")
struct LANTests {
    /// Creates `body` as a LAN in a fresh site (HA if asked) and expects a 422 naming `field`, with nothing stored.
    private func expectRejected(
        _ body: [String: Any], field: String, haSite: Bool = false, status: Int = 422, code: Int = Code.invalidValue,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await withServer { server in
            let site = try await server.client.createSite(haSite ? ["ha_mode": true] : [:])
            let response = try await server.client.post("\(Paths.site(site))/lans", body)
            expectFailure(response, status: status, code: code, mentions: field, sourceLocation: sourceLocation)
            #expect(try await server.client.get("\(Paths.site(site))/lans").array.isEmpty, sourceLocation: sourceLocation)
        }
    }

    private func with(_ body: [String: Any], addressing change: (inout [String: Any]) -> Void) -> [String: Any] {
        var body = body
        var addressing = body["static_addressing"] as! [String: Any]
        change(&addressing)
        body["static_addressing"] = addressing
        return body
    }

    @Test func crudRoundTrip() async throws {
        try await withServer { server in
            let client = server.client
            let site = try await client.createSite()
            let created = try await client.post("\(Paths.site(site))/lans", lanBody(name: "office"))
            #expect(created.status == 200)
            let lan = try #require(created.array.first, "create returns a list, as documented")
            let id = try #require(lan["id"] as? String)
            #expect(lan["site_id"] as? String == site)
            #expect(try await client.get("\(Paths.site(site))/lans/\(id)").object["name"] as? String == "office")
            #expect(try await client.get("\(Paths.site(site))/lans").array.count == 1)
            let patched = try await client.patch("\(Paths.site(site))/lans/\(id)", ["vlan_tag": 10])
            #expect(patched.object["vlan_tag"] as? Int == 10)
            #expect(patched.object["name"] as? String == "office")
            let put = try await client.put("\(Paths.site(site))/lans/\(id)", ["physport": 5])
            #expect(put.object["physport"] as? Int == 5)
            #expect(put.object["static_addressing"] == nil)
            #expect(try await client.delete("\(Paths.site(site))/lans/\(id)").status == 200)
            expectFailure(try await client.get("\(Paths.site(site))/lans/\(id)"), status: 404, code: Code.notFound)
        }
    }

    @Test func vlanTagAbove4094IsRejected() async throws {
        try await expectRejected(lanBody(vlan: 4095), field: "vlan_tag")
    }

    @Test func negativeVlanTagIsRejected() async throws {
        try await expectRejected(lanBody(vlan: -1), field: "vlan_tag")
    }

    @Test func addressMustBeACIDR() async throws {
        try await expectRejected(with(lanBody()) { $0["address"] = "10.0.1.1" }, field: "static_addressing.address")
    }

    @Test func addressOctetsMustParse() async throws {
        try await expectRejected(with(lanBody()) { $0["address"] = "10.0.300.1/24" }, field: "static_addressing.address")
    }

    @Test func dhcpPoolMustBeInsideTheSubnet() async throws {
        try await expectRejected(
            with(lanBody()) { $0["dhcp_server"] = ["dhcp_pool_start": "10.0.2.100", "dhcp_pool_end": "10.0.1.200"] },
            field: "dhcp_server.dhcp_pool_start"
        )
    }

    @Test func dhcpPoolStartMustNotExceedEnd() async throws {
        try await expectRejected(
            with(lanBody()) { $0["dhcp_server"] = ["dhcp_pool_start": "10.0.1.200", "dhcp_pool_end": "10.0.1.100"] },
            field: "dhcp_pool_start"
        )
    }

    @Test func reservationMACMustParse() async throws {
        try await expectRejected(
            with(lanBody()) { $0["dhcp_server"] = ["reservations": ["00:11:22:33:44": "10.0.1.5"]] },
            field: "reservations"
        )
    }

    @Test func reservationIPMustBeInsideTheSubnet() async throws {
        try await expectRejected(
            with(lanBody()) { $0["dhcp_server"] = ["reservations": ["00:11:22:33:44:55": "192.168.1.5"]] },
            field: #"reservations["00:11:22:33:44:55"]"#
        )
    }

    @Test func dnsServerMustBeAnIPv4Address() async throws {
        try await expectRejected(
            with(lanBody()) { $0["dhcp_server"] = ["dns_server": "dns.example"] }, field: "dhcp_server.dns_server"
        )
    }

    @Test func dhcpRelayServersMustBeIPv4Addresses() async throws {
        try await expectRejected(
            with(lanBody()) {
                $0["dhcp_server"] = nil
                $0["dhcp_relay"] = ["server_addresses": ["10.9.9.9", "nope"]]
            },
            field: "dhcp_relay.server_addresses[1]"
        )
    }

    @Test func natStaticPrefixMustMatchTheLANPrefixSize() async throws {
        var body = lanBody()
        body["nat"] = ["static_prefix": "192.168.0.0/16"]
        try await expectRejected(body, field: "nat.static_prefix")
    }

    @Test func natStaticPrefixOfTheSameSizeIsAccepted() async throws {
        try await withServer { server in
            let site = try await server.client.createSite()
            var body = lanBody()
            body["nat"] = ["static_prefix": "192.168.7.0/24"]
            _ = try await server.client.createLAN(site: site, body)
        }
    }

    @Test func routedSubnetNextHopMustBeIPv4() async throws {
        var body = lanBody()
        body["routed_subnets"] = [["prefix": "172.16.0.0/16", "next_hop": "10.0.1.999"]]
        try await expectRejected(body, field: "routed_subnets[0].next_hop")
    }

    @Test func haSiteLANNeedsStaticAddressing() async throws {
        try await expectRejected(["physport": 2, "vlan_tag": 0], field: "static_addressing", haSite: true)
    }

    @Test func haSiteLANNeedsSecondaryAddress() async throws {
        try await expectRejected(with(lanBody()) { $0["virtual_address"] = "10.0.1.254/24" }, field: "secondary_address", haSite: true)
    }

    @Test func haSiteLANNeedsVirtualAddress() async throws {
        try await expectRejected(with(lanBody()) { $0["secondary_address"] = "10.0.1.2/24" }, field: "virtual_address", haSite: true)
    }

    @Test func haSiteLANWithAllAddressesIsAccepted() async throws {
        try await withServer { server in
            let site = try await server.client.createSite(["ha_mode": true])
            let body = with(lanBody()) {
                $0["secondary_address"] = "10.0.1.2/24"
                $0["virtual_address"] = "10.0.1.254/24"
            }
            _ = try await server.client.createLAN(site: site, body)
        }
    }

    @Test func haLinkOnlyInHASites() async throws {
        var body = lanBody()
        body["ha_link"] = true
        try await expectRejected(body, field: "ha_link")
    }

    @Test func anHASiteHasOneHALinkAtMost() async throws {
        try await withServer { server in
            let site = try await server.client.createSite(["ha_mode": true])
            func link(_ port: Int) -> [String: Any] {
                with(lanBody(physport: port, third: port)) {
                    $0["secondary_address"] = "10.0.\(port).2/24"
                    $0["virtual_address"] = "10.0.\(port).254/24"
                }.merging(["ha_link": true]) { $1 }
            }
            _ = try await server.client.createLAN(site: site, link(2))
            let response = try await server.client.post("\(Paths.site(site))/lans", link(3))
            expectFailure(response, status: 409, code: Code.conflict, mentions: "ha_link")
        }
    }

    @Test func samePortAndVLANTwiceIsAConflict() async throws {
        try await withServer { server in
            let site = try await server.client.createSite()
            _ = try await server.client.createLAN(site: site, lanBody(physport: 2, vlan: 7, third: 1))
            let response = try await server.client.post("\(Paths.site(site))/lans", lanBody(physport: 2, vlan: 7, third: 2))
            expectFailure(response, status: 409, code: Code.conflict, mentions: "vlan_tag")
        }
    }

    @Test func duplicateNameInASiteIsAConflict() async throws {
        try await withServer { server in
            let site = try await server.client.createSite()
            _ = try await server.client.createLAN(site: site, lanBody(physport: 2, name: "lan"))
            let response = try await server.client.post("\(Paths.site(site))/lans", lanBody(physport: 3, third: 2, name: "lan"))
            expectFailure(response, status: 409, code: Code.conflict, mentions: "name")
        }
    }

    @Test func invalidPatchLeavesTheLANUnchanged() async throws {
        try await withServer { server in
            let site = try await server.client.createSite()
            let id = try await server.client.createLAN(site: site, lanBody())
            let before = try await server.client.get("\(Paths.site(site))/lans/\(id)").text
            expectFailure(try await server.client.patch("\(Paths.site(site))/lans/\(id)", ["vlan_tag": 5000]), status: 422, code: Code.invalidValue)
            #expect(try await server.client.get("\(Paths.site(site))/lans/\(id)").text == before)
        }
    }

    @Test func lanOfAnotherSiteIsNotFound() async throws {
        try await withServer { server in
            let first = try await server.client.createSite()
            let second = try await server.client.createSite()
            let id = try await server.client.createLAN(site: first, lanBody())
            expectFailure(try await server.client.get("\(Paths.site(second))/lans/\(id)"), status: 404, code: Code.notFound)
        }
    }
}
