import ConnectorAPI
import SiteRules
import SiteSamples
import Testing

// One case per rule: a clean sample, one change, and exactly the problems it must cause.

private let office = "lans[0]"
private let lab = "lans[1]"
private let officeDHCP = "lans[0].static_addressing.dhcp_server"
private let labRelay = "lans[1].static_addressing.dhcp_relay"
private let isp = "wans[0].static_addressing"

@Suite struct SiteRuleMessageTests {
    @Test func cleanSamplesHaveNoProblems() {
        #expect(SiteRulebook.problems(in: SiteSamples.branch()).isEmpty)
        #expect(SiteRulebook.problems(in: SiteSamples.haSite()).isEmpty)
    }

    @Test func manyProblemsAreReportedAtOnce() {
        var config = SiteSamples.branch()
        config.site.name = ""
        config.wans[0].staticAddressing?.gatewayAddress = "203.0.113.1"
        config.lans[0].staticAddressing?.dhcpServer?.dhcpPoolEnd = "192.168.10.50"
        config.lans[1].staticAddressing?.address = "192.168.10.65/26"
        config.lans[1].staticAddressing?.dhcpRelay = DHCPRelay(serverAddresses: [])
        config.acls[0].protocols = ["tcp", "gre"]
        config.acls[0].lan2?.lanId = "lan-nowhere"
        let problems = SiteRulebook.problems(in: config)
        #expect(
            problems.map(\.description) == [
                "site.name: must not be empty",
                "wans[0].static_addressing.gateway_address: 203.0.113.1 is outside the WAN subnet 198.51.100.0/24 (static_addressing.address)",
                "lans[0].static_addressing.dhcp_server.dhcp_pool_end: 192.168.10.50 is before dhcp_pool_start 192.168.10.100; the pool runs from start to end",
                "lans[1].static_addressing.dhcp_relay.server_addresses: required: at least one DHCP server address to relay requests to",
                "acls[0].protocols[1]: 'gre' is not a protocol (expected tcp, udp or icmp)",
                "acls[0].lan_2.lan_id: no LAN with id 'lan-nowhere' in this site (it has 'lan-office', 'lan-lab')",
                "lans[1].static_addressing.address: 192.168.10.64/26 overlaps the LAN subnet 192.168.10.0/24 of lans[0] ('office'); subnets of the site must not overlap",
            ]
        )
    }

    static let siteCases: [RuleCase] = [
        RuleCase("site name missing", { $0.site.name = nil }, [("site.name", "required")]),
        RuleCase("site name empty", { $0.site.name = "  " }, [("site.name", "must not be empty")]),
        RuleCase(
            "latitude out of range", { $0.site.location?.lat = "95" }, [("site.location.lat", "'95' is not a latitude")]
        ),
        RuleCase(
            "longitude not a number", { $0.site.location?.lon = "east" }, [("site.location.lon", "not a longitude")]),
        RuleCase(
            "secondary connector without HA", { $0.site.secondaryConnectorId = "c2" },
            [("site.secondary_connector_id", "needs ha_mode: true")]
        ),
        RuleCase(
            "secondary connector is the primary", sample: SiteSamples.haSite, { $0.site.secondaryConnectorId = "c1" },
            [("site.secondary_connector_id", "must differ from connector_id")]
        ),
    ]

    @Test(arguments: siteCases) func siteRule(_ rule: RuleCase) { rule.run() }

    static let wanCases: [RuleCase] = [
        RuleCase(
            "WAN address without prefix", { $0.wans[0].staticAddressing?.address = "198.51.100.2" },
            [("\(isp).address", "'198.51.100.2' is not an IPv4 address with a prefix length")]
        ),
        RuleCase(
            "WAN gateway not an address", { $0.wans[0].staticAddressing?.gatewayAddress = "198.51.100" },
            [("\(isp).gateway_address", "'198.51.100' is not an IPv4 address (expected a.b.c.d)")]
        ),
        RuleCase(
            "WAN secondary not a CIDR", { $0.wans[0].staticAddressing?.secondaryAddress = "x" },
            [("\(isp).secondary_address", "'x' is not an IPv4 address with a prefix length")]
        ),
        RuleCase(
            "WAN gateway outside the subnet", { $0.wans[0].staticAddressing?.gatewayAddress = "198.51.101.1" },
            [("\(isp).gateway_address", "198.51.101.1 is outside the WAN subnet 198.51.100.0/24")]
        ),
        RuleCase(
            "WAN gateway is the WAN's own address", { $0.wans[0].staticAddressing?.gatewayAddress = "198.51.100.2" },
            [("\(isp).gateway_address", "is the WAN's own address")]
        ),
        RuleCase(
            "WAN gateway is the broadcast address", { $0.wans[0].staticAddressing?.gatewayAddress = "198.51.100.255" },
            [("\(isp).gateway_address", "198.51.100.255 is the broadcast address of the WAN subnet")]
        ),
        RuleCase(
            "WAN address is the network address", { $0.wans[0].staticAddressing?.address = "198.51.100.0/24" },
            [("\(isp).address", "198.51.100.0 is the network address of 198.51.100.0/24")]
        ),
        RuleCase(
            "WAN static addressing without gateway", { $0.wans[0].staticAddressing?.gatewayAddress = nil },
            [("\(isp).gateway_address", "required with static_addressing")]
        ),
        RuleCase(
            "WAN static addressing without address", { $0.wans[0].staticAddressing?.address = nil },
            [("\(isp).address", "required with static_addressing")]
        ),
        RuleCase(
            "WAN secondary outside the subnet", { $0.wans[0].staticAddressing?.secondaryAddress = "198.51.101.3/24" },
            [("\(isp).secondary_address", "198.51.101.3 is outside the WAN subnet 198.51.100.0/24")]
        ),
        RuleCase(
            "WAN secondary is the address", { $0.wans[0].staticAddressing?.secondaryAddress = "198.51.100.2/24" },
            [("\(isp).secondary_address", "is the same as address")]
        ),
        RuleCase(
            "WAN VLAN above 4094", { $0.wans[0].vlanTag = 4095 },
            [("wans[0].vlan_tag", "4095 is out of range; VLAN tags are 0 (untagged) to 4094")]),
        RuleCase("WAN VLAN negative", { $0.wans[0].vlanTag = -1 }, [("wans[0].vlan_tag", "-1 is out of range")]),
        RuleCase("WAN physport 0", { $0.wans[0].physport = 0 }, [("wans[0].physport", "0 is not a port number")]),
        RuleCase("WAN physport missing", { $0.wans[1].physport = nil }, [("wans[1].physport", "required")]),
        RuleCase("WAN priority negative", { $0.wans[0].priority = -1 }, [("wans[0].priority", "-1 is negative")]),
        RuleCase(
            "WAN health check rate unknown", { $0.wans[0].healthCheckRate = "fast" },
            [("wans[0].health_check_rate", "'fast' is not a health check rate (expected low, mid or high)")]
        ),
        RuleCase(
            "duplicate WAN name", { $0.wans[1].name = "isp-a" },
            [("wans[1].name", "'isp-a' is already the name of wans[0] ('isp-a')")]
        ),
        RuleCase("empty WAN name", { $0.wans[1].name = "" }, [("wans[1].name", "must not be empty")]),
        RuleCase(
            "two WANs on one port and VLAN", { $0.wans[1].physport = 1 },
            [("wans[1].physport", "physport 1 VLAN 0 is already used by wans[0] ('isp-a')")]
        ),
        RuleCase(
            "a WAN and a LAN on one port and VLAN",
            {
                $0.wans[1].vlanTag = 7
                $0.lans[0].physport = 2
                $0.lans[0].vlanTag = 7
            },
            [("lans[0].vlan_tag", "physport 2 VLAN 7 is already used by wans[1] ('isp-b')")]
        ),
        RuleCase(
            "same port with another VLAN is fine",
            {
                $0.lans[0].physport = 1
                $0.lans[0].vlanTag = 10
            }, []
        ),
        RuleCase(
            "overlapping WAN subnets",
            {
                $0.wans[1].staticAddressing = WANStaticAddressing(
                    address: "198.51.100.3/25", gatewayAddress: "198.51.100.1")
            },
            [
                (
                    "wans[1].static_addressing.address",
                    "198.51.100.0/25 overlaps the WAN subnet 198.51.100.0/24 of wans[0] ('isp-a')"
                )
            ]
        ),
    ]

    @Test(arguments: wanCases) func wanRule(_ rule: RuleCase) { rule.run() }

    static let lanCases: [RuleCase] = [
        RuleCase(
            "LAN address prefix too long", { $0.lans[0].staticAddressing?.address = "192.168.10.1/33" },
            [("\(office).static_addressing.address", "'192.168.10.1/33' is not an IPv4 address with a prefix length")]
        ),
        RuleCase(
            "LAN address is the broadcast address", { $0.lans[1].staticAddressing?.address = "192.168.20.255/24" },
            [("\(lab).static_addressing.address", "192.168.20.255 is the broadcast address of 192.168.20.0/24")]
        ),
        RuleCase(
            "LAN static addressing without address", { $0.lans[1].staticAddressing?.address = nil },
            [("\(lab).static_addressing.address", "required with static_addressing")]
        ),
        RuleCase(
            "overlapping LAN subnets", { $0.lans[1].staticAddressing?.address = "192.168.0.1/16" },
            [
                (
                    "\(lab).static_addressing.address",
                    "192.168.0.0/16 overlaps the LAN subnet 192.168.10.0/24 of lans[0] ('office')"
                )
            ]
        ),
        RuleCase(
            "LAN subnet overlapping a WAN subnet",
            {
                $0.lans[1].staticAddressing?.address = "198.51.100.129/25"
                $0.acls[0].lan2?.subnets = nil
            },
            [
                (
                    "\(lab).static_addressing.address",
                    "198.51.100.128/25 overlaps the WAN subnet 198.51.100.0/24 of wans[0] ('isp-a')"
                )
            ]
        ),
        RuleCase(
            "duplicate LAN name", { $0.lans[1].name = "office" },
            [("\(lab).name", "'office' is already the name of lans[0] ('office')")]
        ),
        RuleCase("empty LAN name", { $0.lans[1].name = "" }, [("\(lab).name", "must not be empty")]),
        RuleCase(
            "duplicate LAN id", { $0.lans[1].id = "lan-office" },
            [
                ("\(lab).id", "'lan-office' is already the id of lans[0]"),
                ("acls[0].lan_2.lan_id", "no LAN with id 'lan-lab' in this site (it has 'lan-office')"),  // the ACL named lab by its old id
            ]
        ),
        RuleCase("LAN physport missing", { $0.lans[0].physport = nil }, [("\(office).physport", "required")]),
        RuleCase(
            "LAN on a bond needs no physport",
            {
                $0.lans[0].physport = nil
                $0.lans[0].bondId = 1
            }, []
        ),
        RuleCase(
            "LAN physport negative", { $0.lans[0].physport = -2 }, [("\(office).physport", "-2 is not a port number")]),
        RuleCase(
            "LAN VLAN out of range", { $0.lans[0].vlanTag = 5000 }, [("\(office).vlan_tag", "5000 is out of range")]),
        RuleCase(
            "two LANs on one port and VLAN", { $0.lans[1].physport = 3 },
            [("\(lab).physport", "physport 3 VLAN 0 is already used by lans[0] ('office')")]
        ),
        RuleCase("LAN bond id negative", { $0.lans[0].bondId = -1 }, [("\(office).bond_id", "-1 is negative")]),
        RuleCase(
            "HA link in a site without HA", { $0.lans[0].haLink = true },
            [("\(office).ha_link", "only a LAN of a high-availability site")]
        ),
        RuleCase(
            "LAN NAT prefix of another size", { $0.lans[0].nat = NAT(staticPrefix: "100.64.0.0/16") },
            [("\(office).nat.static_prefix", "/16 must be the same size as the LAN subnet 192.168.10.0/24 (/24)")]
        ),
        RuleCase("LAN NAT of the same size is fine", { $0.lans[0].nat = NAT(staticPrefix: "100.64.10.0/24") }, []),
        RuleCase(
            "LAN NAT prefix not a CIDR", { $0.lans[0].nat = NAT(staticPrefix: "100.64.0.0") },
            [("\(office).nat.static_prefix", "'100.64.0.0' is not an IPv4 CIDR")]
        ),
        RuleCase(
            "LAN NAT prefix with host bits", { $0.lans[0].nat = NAT(staticPrefix: "100.64.10.1/24") },
            [
                (
                    "\(office).nat.static_prefix",
                    "100.64.10.1/24 has host bits set; a prefix starts at its network address (100.64.10.0/24)"
                )
            ]
        ),
        RuleCase(
            "LAN NAT without static addressing",
            {
                $0.lans[1].staticAddressing = nil
                $0.lans[1].nat = NAT(staticPrefix: "100.64.20.0/24")
            },
            [("\(lab).nat.static_prefix", "NAT needs static_addressing.address")]
        ),
    ]

    @Test(arguments: lanCases) func lanRule(_ rule: RuleCase) { rule.run() }

    static let haCases: [RuleCase] = [
        RuleCase(
            "HA LAN without secondary address", sample: SiteSamples.haSite,
            { $0.lans[0].staticAddressing?.secondaryAddress = nil },
            [("lans[0].static_addressing.secondary_address", "required in a high-availability site")]
        ),
        RuleCase(
            "HA LAN without virtual address", sample: SiteSamples.haSite,
            { $0.lans[1].staticAddressing?.virtualAddress = nil },
            [("lans[1].static_addressing.virtual_address", "required in a high-availability site")]
        ),
        RuleCase(
            "HA LAN without static addressing", sample: SiteSamples.haSite, { $0.lans[1].staticAddressing = nil },
            [
                (
                    "lans[1].static_addressing",
                    "required in a high-availability site, with address, secondary_address and virtual_address"
                )
            ]
        ),
        RuleCase(
            "secondary address outside the LAN", sample: SiteSamples.haSite,
            { $0.lans[0].staticAddressing?.secondaryAddress = "10.30.9.3/24" },
            [("lans[0].static_addressing.secondary_address", "10.30.9.3 is outside the LAN subnet 10.30.1.0/24")]
        ),
        RuleCase(
            "virtual address with another prefix length", sample: SiteSamples.haSite,
            { $0.lans[0].staticAddressing?.virtualAddress = "10.30.1.1/25" },
            [("lans[0].static_addressing.virtual_address", "prefix /25 differs from the LAN's /24")]
        ),
        RuleCase(
            "virtual address is the primary address", sample: SiteSamples.haSite,
            { $0.lans[0].staticAddressing?.virtualAddress = "10.30.1.2/24" },
            [("lans[0].static_addressing.virtual_address", "10.30.1.2 is already static_addressing.address")]
        ),
        RuleCase(
            "secondary address not a CIDR", sample: SiteSamples.haSite,
            { $0.lans[0].staticAddressing?.secondaryAddress = "10.30.1.3" },
            [("lans[0].static_addressing.secondary_address", "'10.30.1.3' is not an IPv4 address with a prefix length")]
        ),
        RuleCase(
            "virtual address not a CIDR", sample: SiteSamples.haSite,
            { $0.lans[1].staticAddressing?.virtualAddress = "10.30.2.1/24x" },
            [
                (
                    "lans[1].static_addressing.virtual_address",
                    "'10.30.2.1/24x' is not an IPv4 address with a prefix length"
                )
            ]
        ),
        RuleCase(
            "HA static WAN without secondary address", sample: SiteSamples.haSite,
            { $0.wans[0].staticAddressing?.secondaryAddress = nil },
            [
                (
                    "wans[0].static_addressing.secondary_address",
                    "required with static_addressing in a high-availability site: the secondary connector's own address"
                )
            ]
        ),
        RuleCase(
            "two HA links", sample: SiteSamples.haSite, { $0.lans[1].haLink = true },
            [("lans[1].ha_link", "lans[0] ('users') is already the HA link; only one LAN can be")]
        ),
    ]

    @Test(arguments: haCases) func haRule(_ rule: RuleCase) { rule.run() }

    static let dhcpCases: [RuleCase] = [
        RuleCase(
            "pool start outside the subnet", { $0.lans[0].staticAddressing?.dhcpServer?.dhcpPoolStart = "10.0.2.100" },
            [("\(officeDHCP).dhcp_pool_start", "10.0.2.100 is outside the LAN subnet 192.168.10.0/24")]
        ),
        RuleCase(
            "pool end outside the subnet", { $0.lans[0].staticAddressing?.dhcpServer?.dhcpPoolEnd = "192.168.11.20" },
            [("\(officeDHCP).dhcp_pool_end", "192.168.11.20 is outside the LAN subnet 192.168.10.0/24")]
        ),
        RuleCase(
            "pool reversed", { $0.lans[0].staticAddressing?.dhcpServer?.dhcpPoolEnd = "192.168.10.10" },
            [("\(officeDHCP).dhcp_pool_end", "192.168.10.10 is before dhcp_pool_start 192.168.10.100")]
        ),
        RuleCase(
            "pool bound not an address", { $0.lans[0].staticAddressing?.dhcpServer?.dhcpPoolStart = "192.168.10.256" },
            [("\(officeDHCP).dhcp_pool_start", "'192.168.10.256' is not an IPv4 address")]
        ),
        RuleCase(
            "pool start without end", { $0.lans[0].staticAddressing?.dhcpServer?.dhcpPoolEnd = nil },
            [("\(officeDHCP).dhcp_pool_end", "required with dhcp_pool_start")]
        ),
        RuleCase(
            "pool over the LAN's own address",
            { $0.lans[0].staticAddressing?.dhcpServer?.dhcpPoolStart = "192.168.10.1" },
            [
                (
                    officeDHCP,
                    "the pool 192.168.10.1-192.168.10.199 includes the connector's own address 192.168.10.1 (static_addressing.address)"
                )
            ]
        ),
        RuleCase(
            "pool over the secondary address", sample: SiteSamples.haSite,
            {
                $0.lans[1].staticAddressing?.dhcpServer = DHCPServer(
                    dhcpPoolEnd: "10.30.2.50", dhcpPoolStart: "10.30.2.3")
            },
            [
                (
                    "lans[1].static_addressing.dhcp_server",
                    "includes the connector's own address 10.30.2.3 (static_addressing.secondary_address)"
                )
            ]
        ),
        RuleCase(
            "pool ends on the broadcast address",
            { $0.lans[0].staticAddressing?.dhcpServer?.dhcpPoolEnd = "192.168.10.255" },
            [("\(officeDHCP).dhcp_pool_end", "192.168.10.255 is the broadcast address of the LAN subnet")]
        ),
        RuleCase(
            "DNS server not an address",
            { $0.lans[0].staticAddressing?.dhcpServer?.dnsServers = ["192.168.10.1", "dns.example"] },
            [("\(officeDHCP).dns_servers[1]", "'dns.example' is not an IPv4 address")]
        ),
        RuleCase(
            "single DNS server not an address", { $0.lans[0].staticAddressing?.dhcpServer?.dnsServer = "8.8.8" },
            [("\(officeDHCP).dns_server", "'8.8.8' is not an IPv4 address")]
        ),
        RuleCase(
            "reservation with an invalid MAC",
            { $0.lans[0].staticAddressing?.dhcpServer?.reservations?["02:00:00:00:10"] = "192.168.10.11" },
            [("\(officeDHCP).reservations[\"02:00:00:00:10\"]", "'02:00:00:00:10' is not a MAC address")]
        ),
        RuleCase(
            "duplicate MAC in another case",
            { $0.lans[0].staticAddressing?.dhcpServer?.reservations?["02:00:00:00:10:0A"] = "192.168.10.11" },
            [
                (
                    "\(officeDHCP).reservations[\"02:00:00:00:10:0a\"]",
                    "is the same MAC as reservations[\"02:00:00:00:10:0A\"]"
                )
            ]
        ),
        RuleCase(
            "duplicate MAC written with dashes",
            { $0.lans[0].staticAddressing?.dhcpServer?.reservations?["02-00-00-00-10-0A"] = "192.168.10.11" },
            [
                (
                    "\(officeDHCP).reservations[\"02:00:00:00:10:0a\"]",
                    "is the same MAC as reservations[\"02-00-00-00-10-0A\"]"
                )
            ]
        ),
        RuleCase(
            "reservation outside the subnet",
            { $0.lans[0].staticAddressing?.dhcpServer?.reservations?["02:00:00:00:10:0b"] = "192.168.20.11" },
            [
                (
                    "\(officeDHCP).reservations[\"02:00:00:00:10:0b\"]",
                    "192.168.20.11 is outside the LAN subnet 192.168.10.0/24"
                )
            ]
        ),
        RuleCase(
            "reservation not an address",
            { $0.lans[0].staticAddressing?.dhcpServer?.reservations?["02:00:00:00:10:0b"] = "host-b" },
            [("\(officeDHCP).reservations[\"02:00:00:00:10:0b\"]", "'host-b' is not an IPv4 address")]
        ),
        RuleCase(
            "duplicate reserved address",
            { $0.lans[0].staticAddressing?.dhcpServer?.reservations?["02:00:00:00:10:0b"] = "192.168.10.10" },
            [
                (
                    "\(officeDHCP).reservations[\"02:00:00:00:10:0b\"]",
                    "192.168.10.10 is already reserved for '02:00:00:00:10:0a'"
                )
            ]
        ),
        RuleCase(
            "reservation of the LAN's own address",
            { $0.lans[0].staticAddressing?.dhcpServer?.reservations?["02:00:00:00:10:0b"] = "192.168.10.1" },
            [("\(officeDHCP).reservations[\"02:00:00:00:10:0b\"]", "192.168.10.1 is the connector's own address")]
        ),
        RuleCase(
            "DHCP server and relay both",
            { $0.lans[0].staticAddressing?.dhcpRelay = DHCPRelay(serverAddresses: ["192.168.20.2"]) },
            [("\(office).static_addressing", "dhcp_server and dhcp_relay are mutually exclusive")]
        ),
        RuleCase(
            "relay without server addresses", { $0.lans[1].staticAddressing?.dhcpRelay = DHCPRelay() },
            [("\(labRelay).server_addresses", "required: at least one DHCP server address")]
        ),
        RuleCase(
            "relay with an empty server list",
            { $0.lans[1].staticAddressing?.dhcpRelay = DHCPRelay(serverAddresses: []) },
            [("\(labRelay).server_addresses", "required: at least one DHCP server address")]
        ),
        RuleCase(
            "relay server not an address",
            { $0.lans[1].staticAddressing?.dhcpRelay?.serverAddresses = ["dhcp.example"] },
            [("\(labRelay).server_addresses[0]", "'dhcp.example' is not an IPv4 address")]
        ),
        RuleCase(
            "relay to the LAN's own address",
            { $0.lans[1].staticAddressing?.dhcpRelay?.serverAddresses = ["192.168.20.1"] },
            [("\(labRelay).server_addresses[0]", "192.168.20.1 is the connector's own address")]
        ),
        RuleCase(
            "relay server listed twice",
            { $0.lans[1].staticAddressing?.dhcpRelay?.serverAddresses = ["192.168.10.2", "192.168.10.2"] },
            [("\(labRelay).server_addresses[1]", "192.168.10.2 is listed twice")]
        ),
    ]

    @Test(arguments: dhcpCases) func dhcpRule(_ rule: RuleCase) { rule.run() }

    static let routingCases: [RuleCase] = [
        RuleCase(
            "routed NAT prefix of another size",
            { $0.lans[0].routedSubnets?[0].nat = NAT(staticPrefix: "100.64.0.0/24") },
            [
                (
                    "\(office).routed_subnets[0].nat.static_prefix",
                    "/24 must be the same size as prefix 10.20.0.0/16 (/16)"
                )
            ]
        ),
        RuleCase(
            "routed NAT prefix not a CIDR", { $0.lans[0].routedSubnets?[0].nat = NAT(staticPrefix: "100.64.0.0-16") },
            [("\(office).routed_subnets[0].nat.static_prefix", "'100.64.0.0-16' is not an IPv4 CIDR")]
        ),
        RuleCase(
            "routed prefix not a CIDR", { $0.lans[0].routedSubnets?[0].prefix = "10.20.0.0/40" },
            [("\(office).routed_subnets[0].prefix", "'10.20.0.0/40' is not an IPv4 CIDR")]
        ),
        RuleCase(
            "routed prefix with host bits", { $0.lans[0].routedSubnets?[0].prefix = "10.20.1.0/16" },
            [
                (
                    "\(office).routed_subnets[0].prefix",
                    "has host bits set; a prefix starts at its network address (10.20.0.0/16)"
                )
            ]
        ),
        RuleCase(
            "routed prefix missing", { $0.lans[0].routedSubnets?[0].prefix = nil },
            [("\(office).routed_subnets[0].prefix", "required")]
        ),
        RuleCase(
            "next hop not an address", { $0.lans[0].routedSubnets?[0].nextHop = "192.168.10" },
            [("\(office).routed_subnets[0].next_hop", "'192.168.10' is not an IPv4 address")]
        ),
        RuleCase(
            "next hop missing", { $0.lans[0].routedSubnets?[0].nextHop = nil },
            [("\(office).routed_subnets[0].next_hop", "required")]
        ),
        RuleCase(
            "next hop outside the LAN", { $0.lans[0].routedSubnets?[0].nextHop = "192.168.20.254" },
            [("\(office).routed_subnets[0].next_hop", "192.168.20.254 is outside the LAN subnet 192.168.10.0/24")]
        ),
        RuleCase(
            "next hop is the LAN's own address", { $0.lans[0].routedSubnets?[0].nextHop = "192.168.10.1" },
            [("\(office).routed_subnets[0].next_hop", "192.168.10.1 is the connector's own address")]
        ),
        RuleCase(
            "routed prefix inside its own LAN", { $0.lans[0].routedSubnets?[0].prefix = "192.168.10.128/25" },
            [
                (
                    "\(office).routed_subnets[0].prefix",
                    "192.168.10.128/25 overlaps the LAN subnet 192.168.10.0/24 of lans[0] ('office')"
                )
            ]
        ),
        RuleCase(
            "LAN subnet inside an earlier routed prefix",
            {
                $0.lans[0].routedSubnets?[0].prefix = "192.168.20.0/24"
                $0.acls[0].lan2?.subnets = nil
            },
            [
                (
                    "\(lab).static_addressing.address",
                    "192.168.20.0/24 overlaps 192.168.20.0/24, routed by lans[0] ('office')"
                )
            ]
        ),
        RuleCase(
            "one prefix routed twice",
            { $0.lans[1].routedSubnets = [RoutedSubnet(nextHop: "192.168.20.254", prefix: "10.20.0.0/16")] },
            [("\(lab).routed_subnets[0].prefix", "10.20.0.0/16 is already routed by lans[0] ('office')")]
        ),
        RuleCase(
            "a more specific routed prefix is fine",
            { $0.lans[1].routedSubnets = [RoutedSubnet(nextHop: "192.168.20.254", prefix: "10.20.5.0/24")] }, []
        ),
    ]

    @Test(arguments: routingCases) func routingRule(_ rule: RuleCase) { rule.run() }

    static let aclCases: [RuleCase] = [
        RuleCase(
            "ACL names an unknown LAN by name", { $0.acls[0].lan1?.lanName = "ofice" },
            [("acls[0].lan_1.lan_name", "no LAN named 'ofice' in this site (it has 'office', 'lab')")]
        ),
        RuleCase(
            "ACL names an unknown LAN by id", { $0.acls[0].lan2?.lanId = "lan-x" },
            [("acls[0].lan_2.lan_id", "no LAN with id 'lan-x' in this site")]
        ),
        RuleCase(
            "ACL side names no LAN", { $0.acls[0].lan1 = ACLConfiguration(ports: [80]) },
            [("acls[0].lan_1", "names no LAN; give lan_id or lan_name")]
        ),
        RuleCase("ACL side missing", { $0.acls[0].lan1 = nil }, [("acls[0].lan_1", "required")]),
        RuleCase(
            "ACL with the same LAN on both sides", { $0.acls[0].lan2 = ACLConfiguration(lanId: "lan-office") },
            [
                (
                    "acls[0].lan_2.lan_id",
                    "names the same LAN as lan_1 (lans[0] ('office')); an ACL connects two different LANs"
                )
            ]
        ),
        RuleCase(
            "ACL side whose id and name disagree", { $0.acls[0].lan2?.lanName = "office" },
            [
                (
                    "acls[0].lan_2.lan_name",
                    "'office' is lans[0] ('office') but lan_id 'lan-lab' is lans[1] ('lab'); name one LAN"
                )
            ]
        ),
        RuleCase(
            "ACL protocol in capitals", { $0.acls[0].protocols = ["TCP"] },
            [("acls[0].protocols[0]", "'TCP' is not a protocol (expected tcp, udp or icmp)")]
        ),
        RuleCase(
            "ACL port 0", { $0.acls[0].lan2?.ports = [0] },
            [("acls[0].lan_2.ports[0]", "0 is not a port (expected 1-65535)")]),
        RuleCase(
            "ACL port above 65535", { $0.acls[0].lan2?.ports = [22, 65536] },
            [("acls[0].lan_2.ports[1]", "65536 is not a port")]),
        RuleCase(
            "ACL port range reversed", { $0.acls[0].lan2?.portRanges = ["8100-8000"] },
            [("acls[0].lan_2.port_ranges[0]", "'8100-8000' is reversed; the low port comes first (8000-8100)")]
        ),
        RuleCase(
            "ACL port range malformed", { $0.acls[0].lan2?.portRanges = ["8000", "80-", "a-b", "1-2-3"] },
            [
                ("acls[0].lan_2.port_ranges[0]", "'8000' is not a port range (expected low-high"),
                ("acls[0].lan_2.port_ranges[1]", "'80-' is not a port range"),
                ("acls[0].lan_2.port_ranges[2]", "'a-b' is not a port range"),
                ("acls[0].lan_2.port_ranges[3]", "'1-2-3' is not a port range"),
            ]
        ),
        RuleCase(
            "ACL port range out of range", { $0.acls[0].lan2?.portRanges = ["0-80", "1000-70000"] },
            [
                ("acls[0].lan_2.port_ranges[0]", "'0-80' is out of range (ports are 1-65535)"),
                ("acls[0].lan_2.port_ranges[1]", "'1000-70000' is out of range"),
            ]
        ),
        RuleCase(
            "ACL ports with ICMP only", { $0.acls[0].protocols = ["icmp"] },
            [("acls[0].lan_2", "ports and port_ranges apply to tcp and udp")]
        ),
        RuleCase(
            "ACL subnet outside its LAN", { $0.acls[0].lan2?.subnets = ["192.168.10.0/25"] },
            [("acls[0].lan_2.subnets[0]", "192.168.10.0/25 is outside lans[1] ('lab') subnet 192.168.20.0/24")]
        ),
        RuleCase(
            "ACL subnet wider than its LAN", { $0.acls[0].lan2?.subnets = ["192.168.0.0/16"] },
            [("acls[0].lan_2.subnets[0]", "192.168.0.0/16 is outside lans[1] ('lab') subnet 192.168.20.0/24")]
        ),
        RuleCase(
            "ACL subnet in the LAN's routed subnet is fine",
            { $0.acls[0].lan1?.subnets = ["10.20.1.0/24", "192.168.10.7"] }, []
        ),
        RuleCase(
            "ACL subnet not an address", { $0.acls[0].lan2?.subnets = ["192.168.20.0/24/1"] },
            [("acls[0].lan_2.subnets[0]", "'192.168.20.0/24/1' is neither an IPv4 address nor an IPv4 CIDR")]
        ),
        RuleCase(
            "ACL subnet with host bits", { $0.acls[0].lan2?.subnets = ["192.168.20.5/25"] },
            [("acls[0].lan_2.subnets[0]", "192.168.20.5/25 has host bits set")]
        ),
        RuleCase("ACL name missing", { $0.acls[0].name = nil }, [("acls[0].name", "required")]),
        RuleCase("ACL name empty", { $0.acls[0].name = " " }, [("acls[0].name", "must not be empty")]),
        RuleCase(
            "duplicate ACL name", { $0.acls.append($0.acls[0]) },
            [("acls[1].name", "'office-to-lab' is already the name of acls[0] ('office-to-lab')")]
        ),
    ]

    @Test(arguments: aclCases) func aclRule(_ rule: RuleCase) { rule.run() }
}
