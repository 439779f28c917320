import ConnectorAPI
import Foundation
import Hummingbird
import Testing

@Suite("LANs")
struct LANTests {
    /// Creates `body` as a LAN in a fresh site (HA if asked) and expects a 422 naming `field`, with nothing stored.
    private func expectRejected(
        _ body: LAN, field: String, haSite: Bool = false, status: HTTPResponse.Status = .unprocessableContent,
        code: Int = Code.invalidValue, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await withRouter { api in
            let site = try await api.createSite(haMode: haSite ? true : nil)
            let response = try await api.send(.post, "\(Paths.site(site))/lans", body: body)
            expectFailure(response, status: status, code: code, mentions: field, sourceLocation: sourceLocation)
            #expect(
                try await api.get([LAN].self, "\(Paths.site(site))/lans").result == [], sourceLocation: sourceLocation)
        }
    }

    private func with(_ body: LAN, addressing change: (inout LANStaticAddressing) -> Void) -> LAN {
        var body = body
        var addressing = body.staticAddressing ?? LANStaticAddressing()
        change(&addressing)
        body.staticAddressing = addressing
        return body
    }

    @Test func crudRoundTrip() async throws {
        try await withRouter { api in
            let site = try await api.createSite()
            let created = try await api.send(.post, "\(Paths.site(site))/lans", body: lan(name: "office"))
            #expect(created.status == .ok)
            let first = try #require(
                try api.decode([LAN].self, created).result?.first, "create returns a list, as documented")
            let id = try #require(first.id)
            #expect(first.siteId == site)
            #expect(try await api.get(LAN.self, "\(Paths.site(site))/lans/\(id)").result?.name == "office")
            #expect(try await api.get([LAN].self, "\(Paths.site(site))/lans").result?.count == 1)
            let patched = try api.decode(
                LAN.self, try await api.send(.patch, "\(Paths.site(site))/lans/\(id)", body: LAN(vlanTag: 10))
            ).result
            #expect(patched?.vlanTag == 10)
            #expect(patched?.name == "office")
            let put = try await api.send(.put, "\(Paths.site(site))/lans/\(id)", body: LAN(physport: 5))
            #expect(try api.decode(LAN.self, put).result?.physport == 5)
            #expect(try !api.resultKeys(put).contains("static_addressing"))
            #expect(try await api.send(.delete, "\(Paths.site(site))/lans/\(id)").status == .ok)
            expectFailure(
                try await api.send(.get, "\(Paths.site(site))/lans/\(id)"), status: .notFound, code: Code.notFound)
        }
    }

    @Test func vlanTagAbove4094IsRejected() async throws {
        try await expectRejected(lan(vlan: 4095), field: "vlan_tag")
    }

    @Test func negativeVlanTagIsRejected() async throws {
        try await expectRejected(lan(vlan: -1), field: "vlan_tag")
    }

    @Test func addressMustBeACIDR() async throws {
        try await expectRejected(with(lan()) { $0.address = "10.0.1.1" }, field: "static_addressing.address")
    }

    @Test func addressOctetsMustParse() async throws {
        try await expectRejected(with(lan()) { $0.address = "10.0.300.1/24" }, field: "static_addressing.address")
    }

    @Test func dhcpPoolMustBeInsideTheSubnet() async throws {
        try await expectRejected(
            with(lan()) { $0.dhcpServer = DHCPServer(dhcpPoolEnd: "10.0.1.200", dhcpPoolStart: "10.0.2.100") },
            field: "dhcp_server.dhcp_pool_start"
        )
    }

    @Test func dhcpPoolStartMustNotExceedEnd() async throws {
        try await expectRejected(
            with(lan()) { $0.dhcpServer = DHCPServer(dhcpPoolEnd: "10.0.1.100", dhcpPoolStart: "10.0.1.200") },
            field: "dhcp_pool_start"
        )
    }

    @Test func reservationMACMustParse() async throws {
        try await expectRejected(
            with(lan()) { $0.dhcpServer = DHCPServer(reservations: ["00:11:22:33:44": "10.0.1.5"]) },
            field: "reservations"
        )
    }

    @Test func reservationIPMustBeInsideTheSubnet() async throws {
        try await expectRejected(
            with(lan()) { $0.dhcpServer = DHCPServer(reservations: ["00:11:22:33:44:55": "192.168.1.5"]) },
            field: #"reservations["00:11:22:33:44:55"]"#
        )
    }

    @Test func dnsServerMustBeAnIPv4Address() async throws {
        try await expectRejected(
            with(lan()) { $0.dhcpServer = DHCPServer(dnsServer: "dns.example") }, field: "dhcp_server.dns_server"
        )
    }

    @Test func dhcpRelayServersMustBeIPv4Addresses() async throws {
        try await expectRejected(
            with(lan()) {
                $0.dhcpServer = nil
                $0.dhcpRelay = DHCPRelay(serverAddresses: ["10.9.9.9", "nope"])
            },
            field: "dhcp_relay.server_addresses[1]"
        )
    }

    @Test func natStaticPrefixMustMatchTheLANPrefixSize() async throws {
        var body = lan()
        body.nat = NAT(staticPrefix: "192.168.0.0/16")
        try await expectRejected(body, field: "nat.static_prefix")
    }

    @Test func natStaticPrefixOfTheSameSizeIsAccepted() async throws {
        try await withRouter { api in
            let site = try await api.createSite()
            var body = lan()
            body.nat = NAT(staticPrefix: "192.168.7.0/24")
            _ = try await api.createLAN(site: site, body)
        }
    }

    @Test func routedSubnetNextHopMustBeIPv4() async throws {
        var body = lan()
        body.routedSubnets = [RoutedSubnet(nextHop: "10.0.1.999", prefix: "172.16.0.0/16")]
        try await expectRejected(body, field: "routed_subnets[0].next_hop")
    }

    @Test func haSiteLANNeedsStaticAddressing() async throws {
        try await expectRejected(LAN(physport: 2, vlanTag: 0), field: "static_addressing", haSite: true)
    }

    @Test func haSiteLANNeedsSecondaryAddress() async throws {
        try await expectRejected(
            with(lan()) { $0.virtualAddress = "10.0.1.254/24" }, field: "secondary_address", haSite: true)
    }

    @Test func haSiteLANNeedsVirtualAddress() async throws {
        try await expectRejected(
            with(lan()) { $0.secondaryAddress = "10.0.1.2/24" }, field: "virtual_address", haSite: true)
    }

    @Test func haSiteLANWithAllAddressesIsAccepted() async throws {
        try await withRouter { api in
            let site = try await api.createSite(haMode: true)
            let body = with(lan()) {
                $0.secondaryAddress = "10.0.1.2/24"
                $0.virtualAddress = "10.0.1.254/24"
            }
            _ = try await api.createLAN(site: site, body)
        }
    }

    @Test func haLinkOnlyInHASites() async throws {
        var body = lan()
        body.haLink = true
        try await expectRejected(body, field: "ha_link")
    }

    @Test func anHASiteHasOneHALinkAtMost() async throws {
        try await withRouter { api in
            let site = try await api.createSite(haMode: true)
            func link(_ port: Int) -> LAN {
                var body = with(lan(physport: port, third: port)) {
                    $0.secondaryAddress = "10.0.\(port).2/24"
                    $0.virtualAddress = "10.0.\(port).254/24"
                }
                body.haLink = true
                return body
            }
            _ = try await api.createLAN(site: site, link(2))
            let response = try await api.send(.post, "\(Paths.site(site))/lans", body: link(3))
            expectFailure(response, status: .conflict, code: Code.conflict, mentions: "ha_link")
        }
    }

    @Test func samePortAndVLANTwiceIsAConflict() async throws {
        try await withRouter { api in
            let site = try await api.createSite()
            _ = try await api.createLAN(site: site, lan(physport: 2, vlan: 7, third: 1))
            let response = try await api.send(
                .post, "\(Paths.site(site))/lans", body: lan(physport: 2, vlan: 7, third: 2))
            expectFailure(response, status: .conflict, code: Code.conflict, mentions: "vlan_tag")
        }
    }

    @Test func duplicateNameInASiteIsAConflict() async throws {
        try await withRouter { api in
            let site = try await api.createSite()
            _ = try await api.createLAN(site: site, lan(physport: 2, name: "lan"))
            let response = try await api.send(
                .post, "\(Paths.site(site))/lans", body: lan(physport: 3, third: 2, name: "lan"))
            expectFailure(response, status: .conflict, code: Code.conflict, mentions: "name")
        }
    }

    @Test func invalidPatchLeavesTheLANUnchanged() async throws {
        try await withRouter { api in
            let site = try await api.createSite()
            let id = try await api.createLAN(site: site, lan())
            let before = try await api.send(.get, "\(Paths.site(site))/lans/\(id)").text
            expectFailure(
                try await api.send(.patch, "\(Paths.site(site))/lans/\(id)", body: LAN(vlanTag: 5000)),
                status: .unprocessableContent, code: Code.invalidValue
            )
            #expect(try await api.send(.get, "\(Paths.site(site))/lans/\(id)").text == before)
        }
    }

    @Test func lanOfAnotherSiteIsNotFound() async throws {
        try await withRouter { api in
            let first = try await api.createSite()
            let second = try await api.createSite()
            let id = try await api.createLAN(site: first, lan())
            expectFailure(
                try await api.send(.get, "\(Paths.site(second))/lans/\(id)"), status: .notFound, code: Code.notFound)
        }
    }
}
