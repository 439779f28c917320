import ConnectorAPI
import Foundation
import SiteRules
import SiteSamples
import Testing

/// The good branch site of fixtures/sites/good, decoded as the API's objects: every case changes one thing of it.
private func branch() throws -> SiteConfig {
    let data = try Data(contentsOf: URL(fileURLWithPath: SiteSamples.path("good", "branch-2wan-2lan.json")))
    return try JSONDecoder().decode(SiteConfig.self, from: data)
}

/// One bad config and the problems it must cause, as scripts see them: a stable code at a JSON pointer.
struct CodeCase: Sendable, CustomTestStringConvertible {
    let rule: String
    let change: @Sendable (inout SiteConfig) -> Void
    let expected: [String]

    /// `expected`: `code pointer` strings in the order the rules report them.
    init(_ rule: String, _ change: @escaping @Sendable (inout SiteConfig) -> Void, _ expected: [String]) {
        self.rule = rule
        self.change = change
        self.expected = expected
    }

    var testDescription: String { rule }
}

@Suite struct SiteRulebookTests {
    @Test func theGoodFixturesHaveNoProblems() throws {
        #expect(SiteRulebook.problems(in: try branch()).isEmpty)
    }

    static let cases: [CodeCase] = [
        CodeCase("site name missing", { $0.site.name = nil }, ["required /site/name"]),
        CodeCase(
            "latitude as an exponent", { $0.site.location = SiteLocation(lat: "1e1", lon: "0") },
            ["out_of_range /site/location/lat"]),
        CodeCase("WAN VLAN above 4094", { $0.wans[0].vlanTag = 4095 }, ["out_of_range /wans/0/vlan_tag"]),
        CodeCase(
            "WAN on a LAN's port",
            {
                $0.wans[1].physport = $0.lans[0].physport
                $0.wans[1].vlanTag = $0.lans[0].vlanTag
            }, ["port_in_use /lans/0/physport"]),
        CodeCase(
            "WAN gateway outside and a bad health check rate",
            {
                $0.wans[0].staticAddressing?.gatewayAddress = "203.0.113.1"
                $0.wans[0].healthCheckRate = "fast"
            },
            ["not_one_of /wans/0/health_check_rate", "outside_subnet /wans/0/static_addressing/gateway_address"]
        ),
        CodeCase(
            "LAN address not a prefix", { $0.lans[1].staticAddressing?.address = "192.168.20.1" },
            ["not_a_prefix /lans/1/static_addressing/address"]),
        CodeCase(
            "reversed DHCP pool", { $0.lans[0].staticAddressing?.dhcpServer?.dhcpPoolEnd = "192.168.10.50" },
            ["out_of_range /lans/0/static_addressing/dhcp_server/dhcp_pool_end"]
        ),
        CodeCase(
            "a reservation whose MAC has a slash and a tilde",
            { $0.lans[0].staticAddressing?.dhcpServer?.reservations = ["a/b~c": "192.168.10.20"] },
            ["bad_format /lans/0/static_addressing/dhcp_server/reservations/a~1b~0c"]
        ),
        CodeCase(
            "NAT prefix of another size", { $0.lans[0].nat = NAT(staticPrefix: "10.99.0.0/16") },
            ["prefix_length /lans/0/nat/static_prefix"]),
        CodeCase("HA link outside HA", { $0.lans[1].haLink = true }, ["needs_ha /lans/1/ha_link"]),
        CodeCase(
            "overlapping LANs", { $0.lans[1].staticAddressing?.address = "192.168.10.129/25" },
            ["overlap /lans/1/static_addressing/address"]),
        CodeCase(
            "ACL to a LAN not in the site", { $0.acls[0].lan2?.lanId = "lan-nowhere" },
            ["unknown_reference /acls/0/lan_2/lan_id"]),
        CodeCase("ACL protocol", { $0.acls[0].protocols = ["gre"] }, ["not_one_of /acls/0/protocols/0"]),
        CodeCase(
            "tunnel interface of public space, route to nowhere",
            {
                $0.ipsecTunnels = [
                    IPsecTunnel(
                        cloudflareEndpoint: "162.159.66.1", interfaceAddress: "100.64.0.0/31", name: "t1",
                        customerEndpoint: "127.0.0.1")
                ]
                $0.routes = [MagicRoute(nexthop: "10.9.9.9", prefix: "10.10.0.1/24", priority: 100)]
            },
            [
                "not_unicast /ipsec_tunnels/0/customer_endpoint", "not_private /ipsec_tunnels/0/interface_address",
                "unknown_reference /ipsec_tunnels/0/customer_endpoint", "host_bits /routes/0/prefix",
                "unknown_reference /routes/0/nexthop",
            ]
        ),
    ]

    @Test(arguments: cases) func codesAndPointers(_ rule: CodeCase) throws {
        var config = try branch()
        rule.change(&config)
        let problems = SiteRulebook.problems(in: config)
        #expect(
            problems.map { "\($0.code.rawValue) \($0.pointer)" } == rule.expected, "got \(problems.map(\.description))")
    }

    /// mock-api checks one object at a time: the same problems as in the document, at paths relative to the object.
    @Test func oneObjectAloneHasTheProblemsItHasInTheDocument() throws {
        var config = try branch()
        config.wans[0].staticAddressing?.gatewayAddress = "203.0.113.1"
        config.wans[0].vlanTag = 5000
        config.lans[0].staticAddressing?.dhcpServer?.reservations = ["zz": "192.168.10.20"]
        config.lans[0].staticAddressing?.dhcpServer?.dnsServers = ["8.8.8"]
        config.acls[0].lan1?.ports = [0]
        config.routes = [MagicRoute(nexthop: "224.0.0.1", prefix: "10.10.0.0/33", priority: -1)]
        let whole = SiteRulebook.problems(in: config)
        func under(_ base: String) -> [SiteProblem] { whole.filter { $0.path.hasPrefix(base + ".") } }

        let wan = SiteRulebook.problems(of: config.wans[0], haSite: false).map { $0.nested(in: "wans[0]") }
        let lan = SiteRulebook.problems(of: config.lans[0], haSite: false).map { $0.nested(in: "lans[0]") }
        let acl = SiteRulebook.problems(of: config.acls[0], lans: config.lans).map { $0.nested(in: "acls[0]") }
        let route = SiteRulebook.problems(of: config.routes[0]).map { $0.nested(in: "routes[0]") }
        #expect(wan.count == 2 && wan == under("wans[0]"))
        #expect(lan.count == 2 && lan == under("lans[0]"))
        #expect(acl.count == 1 && acl == under("acls[0]"))
        // Whether a tunnel of the site holds the nexthop is the document's rule (mock-api asks its account's tunnels).
        #expect(route.map(\.code) == [.notAPrefix, .notUnicast, .outOfRange])
        #expect(route == under("routes[0]").filter { $0.code != .unknownReference })
    }

    @Test func aProblemOfTheObjectItselfHasTheEmptyPointer() {
        let problem = SiteProblem("", .inconsistent, "dhcp_server and dhcp_relay are mutually exclusive")
        #expect(problem.pointer == "")
        #expect(problem.nested(in: "lans[1].static_addressing").pointer == "/lans/1/static_addressing")
        #expect(SiteProblem("acls[0].lan_2.port_ranges[3]", .badFormat, "").pointer == "/acls/0/lan_2/port_ranges/3")
    }

    /// A reservation's MAC is the config's text: whatever it holds, the pointer names that one key, escaped.
    @Test(arguments: [
        ("a/b~c", "/lans/0/static_addressing/dhcp_server/reservations/a~1b~0c"),
        (#"x"]/y"#, #"/lans/0/static_addressing/dhcp_server/reservations/x"]~1y"#),
        (#"\"]["#, #"/lans/0/static_addressing/dhcp_server/reservations/\"]["#),
        ("../..", "/lans/0/static_addressing/dhcp_server/reservations/..~1.."),
        ("k\n=$(x)#", "/lans/0/static_addressing/dhcp_server/reservations/k\\u{a}=$(x)#"),
    ])
    func aHostileReservationKeyIsOneTokenOfThePointer(_ mac: String, _ pointer: String) throws {
        var config = try branch()
        config.lans[0].staticAddressing?.dhcpServer?.reservations = [mac: "192.168.10.20"]
        let problems = SiteRulebook.problems(in: config)
        #expect(problems.map(\.pointer) == [pointer], "got \(problems.map(\.description))")
        #expect(problems.allSatisfy { !$0.description.contains("\n") })
    }

    @Test func everyCodeIsSnakeCaseAndUnique() {
        let raw = SiteProblem.Code.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        #expect(raw.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "_" } })
    }
}
