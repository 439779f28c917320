import ConnectorAPI
import Foundation
import SiteSamples
import Testing

@testable import SiteNetwork

@Suite struct SiteConfigFileTests {
    private func decodeError(_ json: String) -> SiteConfigFileError? {
        #expect(throws: SiteConfigFileError.self) { try SiteConfigFile.decode(Data(json.utf8)) }
    }

    @Test func decodesAMinimalSite() throws {
        let config = try SiteConfigFile.decode(Data(#"{"site": {"name": "s"}}"#.utf8))
        #expect(config.site.name == "s")
        #expect(config.wans.isEmpty && config.lans.isEmpty && config.acls.isEmpty)
    }

    @Test func ignoresTheConnectorKeyWhole() throws {
        let json = #"{"connector": {"activated": true, "anything": {"goes": 1}}, "site": {"name": "s", "id": "abc"}}"#
        #expect(try SiteConfigFile.decode(Data(json.utf8)).site.id == "abc")
    }

    @Test func anUnknownKeyAtAnyDepthIsAnErrorWithItsPathAndASuggestion() {
        // The issue's two cases: an ACL side meant to narrow to port 631 that would allow everything, and a
        // DHCP server without a pool.
        let acl = decodeError(#"""
            {"site": {"name": "s"}, "acls": [{"name": "a", "lan_1": {"lan_name": "x"}, "lan_2": {"lan_name": "y"},
              "protocol": "tcp", "port": 631}]}
            """#)
        #expect(acl?.path == "acls[0].port")
        #expect(acl?.message.hasPrefix("unknown key; did you mean 'lan_1.ports'? (also unknown: acls[0].protocol (did you mean 'protocols'?))") == true,
                "\(acl?.message ?? "")")
        let dhcp = decodeError(#"""
            {"site": {"name": "s"}, "lans": [{"name": "l", "physport": 3, "static_addressing": {"address": "10.0.0.1/24",
              "dhcp_server": {"start": "10.0.0.10", "end": "10.0.0.20"}}}]}
            """#)
        #expect(dhcp?.path == "lans[0].static_addressing.dhcp_server.end")
        #expect(dhcp?.message.hasPrefix("unknown key; did you mean 'dhcp_pool_end'?") == true)
        let site = decodeError(#"{"site": {"name": "s", "created_on": "2026-01-01"}}"#)
        #expect(site?.description == "site.created_on: unknown key; --lenient only warns")
        // Reservations are a map: any MAC is a key, not an unknown one.
        let reservations = #"""
            {"site": {"name": "s"}, "lans": [{"name": "l", "physport": 3, "static_addressing": {"address": "10.0.0.1/24",
              "dhcp_server": {"reservations": {"02:00:00:00:00:01": "10.0.0.5"}}}}]}
            """#
        #expect((try? SiteConfigFile.decode(Data(reservations.utf8))) != nil)
    }

    @Test func lenientTurnsUnknownKeysIntoWarnings() throws {
        let json = #"{"site": {"name": "s", "created_on": "x"}, "wans": [{"name": "w", "physport": 1, "priorty": 2}]}"#
        let loaded = try SiteConfigFile.decode(Data(json.utf8), lenient: true)
        #expect(loaded.config.wans[0].priority == nil)
        #expect(loaded.warnings == [
            "site.created_on: unknown key; ignored",
            "wans[0].priorty: unknown key; did you mean 'priority'?; ignored",
        ])
    }

    @Test func suggestionsAreCloseOrAbsent() {
        #expect(SiteConfigSchema.closest(to: "protocol", among: ["protocols", "name"]) == "protocols")
        #expect(SiteConfigSchema.closest(to: "start", among: ["dhcp_pool_start", "dhcp_pool_end"]) == "dhcp_pool_start")
        #expect(SiteConfigSchema.closest(to: "vlan", among: ["vlan_tag", "name"]) == "vlan_tag")
        #expect(SiteConfigSchema.closest(to: "colour", among: ["name", "physport"]) == nil)
    }

    /// The schema and the ConnectorAPI types must know the same keys: encode a fully populated config and
    /// compare every key path it produces with the schema's.
    @Test func theSchemaKnowsExactlyTheKeysOfTheTypes() throws {
        let side = ACLConfiguration(lanId: "a", lanName: "a", portRanges: ["1-2"], ports: [1], subnets: ["10.0.0.0/8"])
        let full = SiteConfig(
            site: Site(id: "s", connectorId: "c", description: "d", haMode: true, location: SiteLocation(lat: "1", lon: "2"),
                       name: "n", secondaryConnectorId: "c2"),
            lans: [LAN(
                id: "l", bondId: 1, haLink: true, isBreakout: true, isPrioritized: true, name: "n", nat: NAT(staticPrefix: "p"),
                physport: 1, routedSubnets: [RoutedSubnet(nextHop: "h", prefix: "p", nat: NAT(staticPrefix: "p"))], siteId: "s",
                staticAddressing: LANStaticAddressing(
                    address: "a", dhcpRelay: DHCPRelay(serverAddresses: ["a"]),
                    dhcpServer: DHCPServer(dhcpPoolEnd: "e", dhcpPoolStart: "s", dnsServer: "d", dnsServers: ["d"], reservations: ["m": "i"]),
                    secondaryAddress: "s", virtualAddress: "v"),
                vlanTag: 1)],
            wans: [WAN(id: "w", healthCheckRate: "low", name: "n", physport: 1, priority: 1, siteId: "s",
                       staticAddressing: WANStaticAddressing(address: "a", gatewayAddress: "g", secondaryAddress: "s"), vlanTag: 1)],
            acls: [ACL(id: "a", description: "d", forwardLocally: true, lan1: side, lan2: side, name: "n", protocols: ["tcp"], unidirectional: true)],
            ipsecTunnels: [Self.fullTunnel], routes: [Self.fullRoute])
        let root = try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(full))
        #expect(SiteConfigSchema.file.unknownKeys(in: root).isEmpty, "every key the types write is in the schema")
        // bgp_status is the API's output (ignored whole in a file); the sample leaves it out.
        #expect(Self.paths(of: root) == Self.paths(of: SiteConfigSchema.file).subtracting(["connector", "ipsec_tunnels.bgp_status"]),
                "every key of the schema is one the types write")
    }

    private static var fullTunnel: IPsecTunnel {
        var tunnel = IPsecTunnel(
            id: "t", cloudflareEndpoint: "c", interfaceAddress: "i", name: "n", customerEndpoint: "e", description: "d",
            healthCheck: TunnelHealthCheck(direction: "d", enabled: true, rate: "r", target: HealthCheckTarget(effective: "e", saved: "s"), type: "t"),
            psk: "p")
        tunnel.interfaceAddress6 = "i6"
        tunnel.allowNullCipher = true
        tunnel.automaticReturnRouting = true
        tunnel.bgp = TunnelBGP(customerASN: 1, extraPrefixes: ["p"], md5Key: "k")
        tunnel.createdOn = "c"
        tunnel.modifiedOn = "m"
        tunnel.customRemoteIdentities = CustomRemoteIdentities(fqdnId: "f")
        tunnel.pskMetadata = PSKMetadata(lastGeneratedOn: "l")
        tunnel.replayProtection = true
        return tunnel
    }

    private static var fullRoute: MagicRoute {
        var route = MagicRoute(id: "r", nexthop: "n", prefix: "p", priority: 1, description: "d", weight: 1)
        route.createdOn = "c"
        route.modifiedOn = "m"
        route.scope = RouteScope(coloNames: ["n"], coloRegions: ["r"])
        return route
    }

    private static func paths(of value: JSONValue, _ prefix: String = "") -> Set<String> {
        switch value {
        case .object(let members):
            if prefix.hasSuffix("reservations") { return [] }  // a map: its keys are MACs
            return members.reduce(into: []) { result, member in
                let path = prefix.isEmpty ? member.key : "\(prefix).\(member.key)"
                result.insert(path)
                result.formUnion(paths(of: member.value, path))
            }
        case .array(let items): return items.first.map { paths(of: $0, prefix) } ?? []
        default: return []
        }
    }

    private static func paths(of schema: SiteConfigSchema, _ prefix: String = "") -> Set<String> {
        switch schema {
        case .object(let members):
            return members.reduce(into: []) { result, member in
                let path = prefix.isEmpty ? member.key : "\(prefix).\(member.key)"
                result.insert(path)
                result.formUnion(paths(of: member.value, path))
            }
        case .array(let item): return paths(of: item, prefix)
        default: return []
        }
    }

    @Test func malformedJSON() {
        let error = decodeError(#"{"site": {"name": "s",}"#)
        #expect(error?.kind == .malformedJSON)
        #expect(error?.path == nil)
        #expect(error?.message.hasPrefix("not valid JSON: ") == true)
    }

    @Test func malformedJSONSaysWhere() {
        let error = decodeError("{\"site\": {\"name\": \"s\"},\n \"lans\": [\n  {\"name\": x}\n]}")
        #expect(error?.kind == .malformedJSON)
        #expect(error?.message == "not valid JSON: Invalid value around line 3, column 12.")
    }

    @Test func emptyFile() {
        let error = decodeError(" \n")
        #expect(error?.kind == .malformedJSON)
        #expect(error?.message == "the file is empty; expected a JSON object {site, wans, lans, acls}")
    }

    @Test func topLevelArray() {
        let error = decodeError(#"[{"site": {}}]"#)
        #expect(error?.kind == .wrongShape)
        #expect(error?.message == "expected a JSON object {site, wans, lans, acls}, found an array")
    }

    @Test func unknownTopLevelKey() {
        let error = decodeError(#"{"site": {"name": "s"}, "lan": [], "wan": []}"#)
        #expect(error?.kind == .unknownKey)
        #expect(error?.path == "lan")
        #expect(error?.message.contains("unknown key") == true)
        #expect(error?.message.contains("also unknown: wan") == true)
    }

    @Test func missingSite() {
        let error = decodeError(#"{"lans": []}"#)
        #expect(error?.description == "site: required but missing")
    }

    @Test func stringWhereAnIntegerBelongs() {
        let error = decodeError(#"{"site": {"name": "s"}, "lans": [{"name": "a"}, {"name": "b", "physport": "3"}]}"#)
        #expect(error?.kind == .wrongShape)
        #expect(error?.path == "lans[1].physport")
        #expect(error?.message == #"expected an integer, found a string ("3")"#)
    }

    @Test func fractionWhereAnIntegerBelongs() {
        let error = decodeError(#"{"site": {"name": "s"}, "wans": [{"physport": 1.5}]}"#)
        #expect(error?.description == "wans[0].physport: expected an integer, found a number (1.5)")
    }

    @Test func objectWhereAStringBelongs() {
        let error = decodeError(#"{"site": {"name": {"first": "s"}}}"#)
        #expect(error?.description == "site.name: expected a string, found an object")
    }

    @Test func numberWhereAnArrayBelongs() {
        let error = decodeError(#"{"site": {"name": "s"}, "acls": [{"name": "a", "protocols": 6}]}"#)
        #expect(error?.description == "acls[0].protocols: expected an array, found a number (6)")
    }

    @Test func wrongTypeInsideAReservationsMap() {
        let json = #"""
            {"site": {"name": "s"}, "lans": [{"static_addressing": {"address": "10.0.0.1/24",
             "dhcp_server": {"reservations": {"02:00:00:00:00:01": 5}}}}]}
            """#
        let error = decodeError(json)
        #expect(error?.path == #"lans[0].static_addressing.dhcp_server.reservations["02:00:00:00:00:01"]"#)
        #expect(error?.message == "expected a string, found a number (5)")
    }

    @Test func nullWhereAnObjectBelongs() {
        let error = decodeError(#"{"site": null}"#)
        #expect(error?.path == "site")
        #expect(error?.message.contains("found null") == true)
    }

    @Test func boolWhereAStringBelongs() {
        let error = decodeError(#"{"site": {"name": "s"}, "lans": [{"name": true}]}"#)
        #expect(error?.description == "lans[0].name: expected a string, found a boolean (true)")
    }

    @Test func missingFile() {
        let error = #expect(throws: SiteConfigFileError.self) { try SiteConfigFile.load(path: "/nonexistent/site.json") }
        #expect(error?.kind == .unreadable)
        #expect(error?.description == "/nonexistent/site.json: no such file")
    }

    @Test func directoryInsteadOfAFile() {
        let error = #expect(throws: SiteConfigFileError.self) { try SiteConfigFile.load(path: SiteSamples.sitesDirectory.path) }
        #expect(error?.kind == .unreadable)
        #expect(error?.message.contains("is a directory") == true)
    }

    @Test func fileErrorsNameTheFile() {
        let path = SiteSamples.path("bad", "wrong-type.json")
        let error = #expect(throws: SiteConfigFileError.self) { try SiteConfigFile.load(path: path) }
        #expect(error?.file == path)
        #expect(error?.description == #"\#(path): lans[1].physport: expected an integer, found a string ("3")"#)
    }
}
