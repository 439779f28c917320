import ConnectorAPI
import Foundation
import SiteRules
import Testing

/// The rules of a tunnel's own fields, for every family: what mock-api refuses and `site validate` reports.
@Suite struct TunnelRulesTests {
    private func gre(_ change: (inout GRETunnel) -> Void) -> [String] {
        var tunnel = GRETunnel(
            cloudflareGreEndpoint: "162.159.64.1", customerGreEndpoint: "203.0.113.9",
            interfaceAddress: "10.212.0.8/31",
            name: "gre_1")
        change(&tunnel)
        return SiteRulebook.problems(of: tunnel).map { "\($0.code.rawValue) \($0.pointer)" }
    }

    @Test func aGoodGRETunnelHasNoProblem() {
        #expect(
            gre {
                $0.mtu = 1476
                $0.ttl = 64
                $0.bgp = TunnelBGP(customerASN: 65000, extraPrefixes: ["10.9.0.0/16"])
            } == [])
    }

    @Test func everyGRERuleReportsAtItsPointer() {
        #expect(gre { $0.mtu = 575 } == ["out_of_range /mtu"])
        #expect(gre { $0.mtu = 1501 } == ["out_of_range /mtu"])
        #expect(gre { $0.ttl = 0 } == ["out_of_range /ttl"])
        #expect(gre { $0.ttl = 256 } == ["out_of_range /ttl"])
        #expect(gre { $0.name = "sixteen-chars-xx" } == ["bad_text /name"])
        #expect(gre { $0.name = "has space" } == ["bad_text /name"])
        #expect(gre { $0.customerGreEndpoint = "127.0.0.1" } == ["not_unicast /customer_gre_endpoint"])
        #expect(gre { $0.interfaceAddress6 = "2001:db8::/64" } == ["prefix_length /interface_address6"])
        #expect(gre { $0.interfaceAddress6 = "10.0.0.0/31" } == ["not_a_prefix /interface_address6"])
        #expect(
            gre { $0.interfaceAddress6 = "2001:db8::1" } == ["not_a_prefix /interface_address6"],
            "a /127, not an address")
        #expect(gre { $0.bgp = TunnelBGP(md5Key: "k") } == ["required /bgp/customer_asn"])
        #expect(gre { $0.bgp = TunnelBGP(customerASN: 0) } == ["out_of_range /bgp/customer_asn"])
        #expect(
            gre { $0.bgp = TunnelBGP(customerASN: 65000, extraPrefixes: ["10.0.0.0/8", "x\n"]) } == [
                "not_a_prefix /bgp/extra_prefixes/1"
            ])
        #expect(gre { $0.bgp = TunnelBGP(customerASN: 65000, md5Key: "what?") } == ["bad_format /bgp/md5_key"])
        #expect(gre { $0.bgp = TunnelBGP(customerASN: 65000, md5Key: "") } == ["bad_format /bgp/md5_key"])
    }

    @Test func aGRETunnelGetsEveryProblemAtOnce() {
        let problems = gre {
            $0.mtu = 100
            $0.ttl = 300
            $0.cloudflareGreEndpoint = "1.2.3"
            $0.bgp = TunnelBGP(customerASN: -1, md5Key: "?")
        }
        #expect(
            problems == [
                "not_an_address /cloudflare_gre_endpoint", "out_of_range /mtu", "out_of_range /ttl",
                "out_of_range /bgp/customer_asn", "bad_format /bgp/md5_key",
            ])
    }

    @Test func anInterconnectHasTheSharedRulesAndItsOwn() {
        var interconnect = CFInterconnect(
            gre: CFInterconnectGRE(cloudflareEndpoint: "224.0.0.1"), interfaceAddress: "8.8.8.0/31", mtu: 9000,
            name: " ")
        interconnect.coloName = "ORD\n"
        let problems = SiteRulebook.problems(of: interconnect).map { "\($0.code.rawValue) \($0.pointer)" }
        #expect(
            problems == [
                "bad_text /name", "bad_text /colo_name", "not_unicast /gre/cloudflare_endpoint",
                "not_private /interface_address",
                "out_of_range /mtu",
            ])
    }

    @Test func anIPsecTunnelOfASiteHasItsBGPAndIPv6RulesChecked() throws {
        var tunnel = IPsecTunnel(
            cloudflareEndpoint: "162.159.64.1", interfaceAddress: "10.200.1.0/31", name: "t1",
            customerEndpoint: "198.51.100.2")
        tunnel.bgp = TunnelBGP(customerASN: 4_294_967_296)
        tunnel.interfaceAddress6 = "2001:db8::/126"
        let config = SiteConfig(
            site: Site(name: "s"), lans: [],
            wans: [
                WAN(
                    name: "w", physport: 1,
                    staticAddressing: WANStaticAddressing(address: "198.51.100.2/24", gatewayAddress: "198.51.100.1"))
            ],
            acls: [], ipsecTunnels: [tunnel])
        let problems = SiteRulebook.problems(in: config).map { "\($0.code.rawValue) \($0.pointer)" }
        #expect(
            problems == [
                "prefix_length /ipsec_tunnels/0/interface_address6", "out_of_range /ipsec_tunnels/0/bgp/customer_asn",
            ])
        #expect(SiteRulebook.problems(of: tunnel).map(\.pointer) == ["/interface_address6", "/bgp/customer_asn"])
    }
}

/// A field whose text is no address never stops the decode: the rules report every one, at its pointer.
@Suite struct AddressFieldProblemTests {
    @Test func everyBadAddressOfADocumentIsReported() throws {
        let json = Data(
            #"""
            {"site": {"name": "s"},
             "wans": [{"name": "w", "physport": 1,
                       "static_addressing": {"address": "198.51.100.2/33", "gateway_address": "198.51.100.1\n"}}],
             "lans": [{"name": "l", "physport": 2,
                       "static_addressing": {"address": "192.168.10.1/24",
                         "dhcp_server": {"dhcp_pool_start": "..", "dhcp_pool_end": "192.168.10.200",
                                         "dns_servers": ["1.1.1.1", "\"8.8.8.8\""], "reservations": {"02:00:00:00:00:01": "x"}}},
                       "routed_subnets": [{"prefix": "10.1.0.0/16 ", "next_hop": "192.168.10.256"}],
                       "nat": {"static_prefix": "$(reboot)"}}],
             "acls": [{"name": "a", "lan_1": {"lan_name": "l", "subnets": ["192.168.10.0/24/1"]}, "lan_2": {"lan_name": "l"}}],
             "routes": [{"prefix": "10.2.0.0/16", "nexthop": "", "priority": 1}]}
            """#.utf8)
        let config = try JSONDecoder().decode(SiteConfig.self, from: json)
        let problems = SiteRulebook.problems(in: config)
        let bad = problems.filter { [.notAnAddress, .notAPrefix].contains($0.code) }.map(\.pointer)
        #expect(
            bad == [
                "/wans/0/static_addressing/address", "/wans/0/static_addressing/gateway_address",
                "/lans/0/static_addressing/dhcp_server/dhcp_pool_start",
                "/lans/0/static_addressing/dhcp_server/dns_servers/1",
                "/lans/0/static_addressing/dhcp_server/reservations/02:00:00:00:00:01", "/lans/0/nat/static_prefix",
                "/lans/0/routed_subnets/0/prefix", "/lans/0/routed_subnets/0/next_hop", "/acls/0/lan_1/subnets/0",
                "/routes/0/nexthop",
            ], "\(problems)")
        #expect(problems.allSatisfy { !$0.message.contains("\n") }, "the text is quoted printable")
    }
}
