import ConnectorAPI
import Foundation
import SiteSamples
import TestSupport
import Testing

@testable import SiteNetwork

/// What an HA site's nodes are planned as (pure): names, own addresses only, keepalived's config, and no hostile
/// string ever escaping it.
private let names = SiteNames(site: SiteSamples.haSite().site, stateRoot: "/run/vct-ha")

@Suite struct HAConfigTests {

    static func desired(_ node: HANode, _ config: SiteConfig = SiteSamples.haSite()) throws -> DesiredState {
        try Planner.desiredState(for: config, names: names.node(node), leases: [:])
    }

    @Test func eachNodeHasItsNamespacePortsAndStateDirectory() throws {
        let (primary, secondary) = (names.node(.primary), names.node(.secondary))
        #expect(primary.connector == "vc-\(names.key)" && secondary.connector == "vc-\(names.key)-s")
        #expect(secondary.stateDirectory == "\(names.siteDirectory)/secondary" && secondary.ownerFile == primary.ownerFile)
        #expect(names.owns(namespace: secondary.connector) && !names.owns(namespace: "vc-\(names.key)-x"))
        #expect(SiteNames(connectorNamespace: secondary.connector, stateRoot: "/run/vct-ha") == secondary)
        #expect(SiteNames(connectorNamespace: primary.connector, stateRoot: "/run/vct-ha") == names)
        #expect(SiteNames(connectorNamespace: "vc-nothex00-s") == nil)
        #expect(try Self.desired(.secondary).ports.map(\.fabricPeer).sorted() == ["s1", "s3", "s4"], "the secondary plugs into the same bridges")
        #expect(try Self.desired(.primary).ports.map(\.fabricPeer).sorted() == ["c1", "c3", "c4"])
        #expect(HANode.of(connector: "c2", in: SiteSamples.haSite().site) == .secondary)
        #expect(HANode.of(connector: "c3", in: SiteSamples.haSite().site) == nil)
    }

    @Test func eachNodeHoldsOnlyItsOwnAddressesAndKeepalivedTheVirtualOnes() throws {
        let primary = try Self.desired(.primary)
        let secondary = try Self.desired(.secondary)
        #expect(primary.addresses["port3"] == ["10.30.1.2/24"] && secondary.addresses["port3"] == ["10.30.1.3/24"])
        #expect(primary.addresses["port1"] == ["198.51.100.2/29"] && secondary.addresses["port1"] == ["198.51.100.3/29"])
        #expect(primary.virtualAddresses["port4"] == ["10.30.2.1/24"])
        #expect(!primary.daemons.contains { $0.name.hasPrefix("dnsmasq-") }, "DHCP runs where keepalived starts it")
        let keepalived = try #require(primary.daemons.first { $0.name == "keepalived" })
        let config = try #require(keepalived.config)
        for line in ["vrrp_version 3", "state BACKUP", "nopreempt", "advert_int 0.1", "priority 200", "10.30.2.1/24 dev port4", "dont_track_primary"] {
            #expect(config.contains(line), "\(line)")
        }
        #expect(secondary.daemons.first { $0.name == "keepalived" }?.config?.contains("priority 100") == true)
        #expect(config.components(separatedBy: "vrrp_instance").count - 1 == 2, "one instance per LAN")
        // A single connector is planned as before: every address on it, no keepalived.
        let single = try Planner.desiredState(for: SiteSamples.haSite(), names: names, leases: [:])
        #expect(single.addresses["port3"] == ["10.30.1.1/24", "10.30.1.2/24", "10.30.1.3/24"] && !single.daemons.contains { $0.name == "keepalived" })
    }

    @Test func theDHCPConfigsGoWithKeepalivedAndShareTheLeaseFile() throws {
        var config = SiteSamples.haSite()
        config.lans[1].staticAddressing?.dhcpServer = DHCPServer(dhcpPoolEnd: "10.30.2.200", dhcpPoolStart: "10.30.2.100")
        let keepalived = try #require(try Self.desired(.secondary, config).daemons.first { $0.name == "keepalived" })
        let dhcp = try #require(keepalived.files["\(names.node(.secondary).stateDirectory)/ha-dhcp/dnsmasq-port4.conf"])
        #expect(dhcp.contains("dhcp-leasefile=\(names.siteDirectory)/dnsmasq-port4.leases"))
        #expect(dhcp.contains("option:router,10.30.2.1"), "hosts use the virtual address")
        let without = try #require(try Self.desired(.secondary).daemons.first { $0.name == "keepalived" })
        #expect(without.config != keepalived.config, "a changed DHCP config restarts keepalived")
    }

    @Test(arguments: HostileStrings.corpus.map(\.value))
    func hostileStringsNeverEscapeTheKeepalivedConfig(_ value: String) throws {
        var config = SiteSamples.haSite()
        config.site.name = value
        config.lans[0].name = value
        config.lans[1].id = value
        let clean = try #require(try Self.desired(.primary).daemons.first { $0.name == "keepalived" }?.config)
        let hostile = try #require(try Self.desired(.primary, config).daemons.first { $0.name == "keepalived" }?.config)
        #expect(hostile.split(separator: "\n").count == clean.split(separator: "\n").count, "same lines as a clean config")
        #expect(zip(hostile.split(separator: "\n"), clean.split(separator: "\n")).dropFirst().allSatisfy { $0 == $1 }, "only the comment differs")
        #expect(!HostileStrings.markerExists)
    }

    @Test func aStateRootThatCouldBreakTheConfigIsRefused() {
        let names = SiteNames(key: names.key, stateRoot: "/run/vct ha\"x").node(.primary)
        #expect(throws: UnsafeConfigValue.self) { try Planner.desiredState(for: SiteSamples.haSite(), names: names, leases: [:]) }
    }
}
