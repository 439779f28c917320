import ConnectorAPI
import Foundation
import Netlink
import Testing
@testable import SiteNetwork

/// The pure half: config -> desired state -> operations, without touching the host.
@Suite struct PlanTests {
    let names = SiteNames(key: "0badf00d", stateRoot: "/run/vconnector-test")

    @Test func desiredStateOfTwoWANsTwoLANs() throws {
        let config = SiteFixtures.twoWANsTwoLANs()
        let desired = try Planner.desiredState(for: config, names: names, leases: [:])
        #expect(desired.ports.map(\.name) == ["port1", "port2", "port3", "port4"])
        #expect(desired.ports[0] == PortSpec(name: "port1"))
        #expect(desired.ports[0].fabricPeer == "c1" && desired.ports[0].bridge == "br1")
        #expect(desired.addresses == ["port1": ["198.51.100.2/24"], "port3": ["192.168.10.1/24"], "port4": ["192.168.20.1/24"]])
        #expect(desired.routes == [Route(destination: "0.0.0.0/0", metric: 10, nextHops: [NextHop(gateway: "198.51.100.1", interface: "port1")])])
        #expect(desired.daemons.map(\.name) == ["udhcpc-port2", "dnsmasq-port3", "dnsmasq-port4"])
        #expect(desired.dhcpLinks == ["port2"])
    }

    @Test func aDHCPLeaseBecomesAnAddressAndADefaultRoute() throws {
        let lease = DHCPClientLease(text: "ip=100.64.2.150\nmask=24\nrouter=100.64.2.1\nlease=3600\n")!
        let desired = try Planner.desiredState(for: SiteFixtures.twoWANsTwoLANs(), names: names, leases: ["port2": lease])
        #expect(desired.addresses["port2"] == ["100.64.2.150/24"])
        #expect(desired.routes.contains(Route(destination: "0.0.0.0/0", metric: 11, nextHops: [NextHop(gateway: "100.64.2.1", interface: "port2")])))
    }

    @Test func equalPrioritiesShareOneECMPRoute() throws {
        var config = SiteFixtures.twoWANsTwoLANs()
        config.wans[1].priority = 0
        config.wans[1].staticAddressing = WANStaticAddressing(address: "203.0.113.2/24", gatewayAddress: "203.0.113.1")
        let desired = try Planner.desiredState(for: config, names: names, leases: [:])
        #expect(desired.routes == [Route(destination: "0.0.0.0/0", metric: 10, nextHops: [
            NextHop(gateway: "198.51.100.1", interface: "port1"), NextHop(gateway: "203.0.113.1", interface: "port2"),
        ])])
    }

    @Test func aDownWANGivesNoDefaultRouteUnlessEveryWANIsDown() throws {
        let config = SiteFixtures.twoWANsTwoLANs()
        let lease = try #require(DHCPClientLease(text: "ip=100.64.2.50\nmask=24\nrouter=100.64.2.1\n"))
        let healthy = try Planner.desiredState(for: config, names: names, leases: ["port2": lease])
        #expect(healthy.routes.filter { $0.destination == "0.0.0.0/0" }.count == 2)
        let failover = try Planner.desiredState(for: config, names: names, leases: ["port2": lease], downWANs: ["port1"])
        #expect(failover.routes.filter { $0.destination == "0.0.0.0/0" }.map(\.metric) == [11], "only isp-b's route is left")
        #expect(failover.addresses["port1"] == healthy.addresses["port1"], "the WAN keeps its address")
        let allDown = try Planner.desiredState(for: config, names: names, leases: ["port2": lease], downWANs: ["port1", "port2"])
        #expect(allDown.routes == healthy.routes, "nowhere better to go: nothing is withdrawn")
    }

    @Test func vlanTaggedPortsAreTheirOwnSegments() throws {
        var config = SiteFixtures.twoWANsTwoLANs()
        config.lans[1].physport = 3
        config.lans[1].vlanTag = 100
        let desired = try Planner.desiredState(for: config, names: names, leases: [:])
        #expect(desired.ports.map(\.name).contains("p3v100"))
        #expect(desired.ports.first { $0.name == "p3v100" }?.bridge == "br3v100")
        #expect(desired.notes.contains { $0.hasPrefix("VLAN: emulated") })
    }

    @Test func aBondedLANGetsItsBondLink() throws {
        var config = SiteFixtures.twoWANsTwoLANs()
        config.lans[1].physport = nil
        config.lans[1].bondId = 2
        let desired = try Planner.desiredState(for: config, names: names, leases: [:])
        #expect(desired.ports.contains(PortSpec(name: "bond2")))
        #expect(PortSpec(name: "bond2").fabricPeer == "cbond2" && PortSpec(name: "bond2").bridge == "brbond2")
        #expect(desired.daemons.contains { $0.name == "dnsmasq-bond2" })
        #expect(desired.notes.contains { $0.hasPrefix("bond: emulated") })
    }

    @Test func dnsmasqConfigHasPoolRouterDNSAndReservations() throws {
        let desired = try Planner.desiredState(for: SiteFixtures.twoWANsTwoLANs(), names: names, leases: [:])
        let office = desired.daemons.first { $0.name == "dnsmasq-port3" }!.config!
        #expect(office.contains("interface=port3\n"))
        #expect(office.contains("dhcp-range=192.168.10.100,192.168.10.199,255.255.255.0,1h\n"))
        #expect(office.contains("dhcp-option=option:router,192.168.10.1\n"))
        #expect(office.contains("dhcp-host=02:00:00:00:10:0a,192.168.10.10\n"))
        #expect(office.contains("dhcp-leasefile=/run/vconnector-test/sites/0badf00d/dnsmasq-port3.leases\n"))
        let lab = desired.daemons.first { $0.name == "dnsmasq-port4" }!.config!
        #expect(lab.contains("dhcp-relay=192.168.20.1,203.0.113.10\n"))
        #expect(!lab.contains("dhcp-range"))
    }

    @Test func aLabsDHCPServerOffersWithoutPingingFirst() throws {
        func office(pingBeforeOffer: Bool) throws -> String {
            let desired = try Planner.desiredState(
                for: SiteFixtures.twoWANsTwoLANs(), names: names, leases: [:], pingBeforeOffer: pingBeforeOffer)
            return try #require(desired.daemons.first { $0.name == "dnsmasq-port3" }?.config)
        }
        #expect(!(try office(pingBeforeOffer: true)).contains("no-ping"), "a site keeps dnsmasq's conflict check")
        #expect((try office(pingBeforeOffer: false)).contains("\nno-ping\n"))
    }

    @Test func rulesetMatchesGoldenFile() throws {
        var config = SiteFixtures.twoWANsTwoLANs()
        config.acls = [SiteFixtures.officeToLabSSH]
        config.lans[0].nat = NAT(staticPrefix: "10.10.0.0/24")
        let rendered = Ruleset.render(config, names: names).text
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../fixtures/golden/site-ruleset.nft").standardized
        if ProcessInfo.processInfo.environment["VCONNECTOR_UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(rendered == (try String(contentsOf: golden, encoding: .utf8)))
    }

    @Test func aChangedACLChangesTheFingerprintOnly() throws {
        var config = SiteFixtures.twoWANsTwoLANs()
        let before = try Planner.desiredState(for: config, names: names, leases: [:])
        config.acls = [SiteFixtures.officeToLabSSH]
        let after = try Planner.desiredState(for: config, names: names, leases: [:])
        #expect(before.rulesetFingerprint != after.rulesetFingerprint)
        #expect(before.daemons == after.daemons && before.addresses == after.addresses && before.routes == after.routes)
    }

    @Test func nothingObservedMeansEverythingIsCreatedInOrder() throws {
        let desired = try Planner.desiredState(for: SiteFixtures.twoWANsTwoLANs(), names: names, leases: [:])
        let operations = Differ.operations(desired: desired, observed: ObservedState())
        let kinds = operations.map { String(describing: $0).split(separator: " ").prefix(2).joined(separator: " ") }
        #expect(operations.first == .createNamespace(names.connector))
        #expect(operations.filter { if case .createPort = $0 { true } else { false } }.count == 4)
        let firstDaemon = kinds.firstIndex { $0.hasPrefix("start") }!
        let lastAddress = kinds.lastIndex { $0 == "add address" }!
        #expect(lastAddress < firstDaemon, "daemons start after their addresses exist")
        #expect(operations.last.map { if case .startDaemon = $0 { true } else { false } } == true)
    }

    @Test func observedEqualToDesiredMeansNoOperation() throws {
        let desired = try Planner.desiredState(for: SiteFixtures.twoWANsTwoLANs(), names: names, leases: [:])
        #expect(Differ.operations(desired: desired, observed: converged(desired)).isEmpty)
    }

    @Test func aStrayMarkedLinkAndRouteAreRemovedAndAChangedConfigRestartsItsDaemon() throws {
        let desired = try Planner.desiredState(for: SiteFixtures.twoWANsTwoLANs(), names: names, leases: [:])
        var observed = converged(desired)
        observed.connectorLinks["port9"] = Link(index: 99, name: "port9", operState: "UP", flags: 1, mtu: 1500, alias: names.mark)
        observed.routes.append(Route(destination: "10.99.0.0/16", metric: 0, nextHops: [NextHop(gateway: "192.168.10.2", interface: "port3")]))
        observed.daemons["dnsmasq-port3"]?.config = "old"
        let operations = Differ.operations(desired: desired, observed: observed)
        #expect(operations.contains(.deletePort("port9")))
        #expect(operations.contains(.deleteRoute(observed.routes.last!)))
        #expect(operations.contains { if case .restartDaemon(let daemon) = $0 { daemon.name == "dnsmasq-port3" } else { false } })
        #expect(operations.count == 3)
    }

    @Test func leaseFilesParse() {
        let client = DHCPClientLease(text: "ip=100.64.2.150\nmask=255.255.255.0\nrouter=100.64.2.1\n")
        #expect(client?.cidr == "100.64.2.150/24" && client?.router == "100.64.2.1")
        #expect(DHCPClientLease(text: "ip=garbage\nmask=24\n") == nil)
        let leases = SiteTelemetry.parseLeases(
            "1795553072 02:00:00:00:10:0a 192.168.10.10 office-pc 01:02:00:00:00:10:0a\nbroken line\n1795553000 02:00:00:00:10:0b 192.168.10.100 * *\n",
            interface: "port3")
        #expect(leases.count == 2)
        #expect(leases[0] == Snapshot.DHCPLease(clientId: "01:02:00:00:00:10:0a", expiryTime: 1_795_553_072, hostname: "office-pc",
                                                interfaceName: "port3", ipAddress: "192.168.10.10", macAddress: "02:00:00:00:10:0a"))
        #expect(leases[1].hostname == "" && leases[1].clientId == "02:00:00:00:10:0b")
    }

    /// An observed state identical to `desired`, as the kernel would show it after a full apply.
    private func converged(_ desired: DesiredState) -> ObservedState {
        var observed = ObservedState()
        observed.namespaces = [names.connector, names.fabric]
        var index: Int32 = 1
        for bridge in desired.bridges {
            observed.fabricLinks[bridge] = Link(index: index, name: bridge, operState: "UP", flags: 1, mtu: 1500, kind: "bridge", alias: names.mark)
            index += 1
        }
        for port in desired.ports {
            let bridgeIndex = observed.fabricLinks[port.bridge]!.index
            observed.fabricLinks[port.fabricPeer] = Link(index: index, name: port.fabricPeer, operState: "UP", flags: 1, mtu: 1500, kind: "veth", masterIndex: bridgeIndex, alias: names.mark)
            observed.connectorLinks[port.name] = Link(index: index + 100, name: port.name, operState: "UP", flags: 1, mtu: 1500, kind: "veth", alias: names.mark)
            index += 1
        }
        observed.addresses = desired.addresses
        observed.routes = desired.routes
        observed.forwarding = true
        observed.rulesetFingerprint = desired.rulesetFingerprint
        for daemon in desired.daemons { observed.daemons[daemon.name] = DaemonStatus(pid: 1, running: true, config: daemon.config) }
        return observed
    }
}
