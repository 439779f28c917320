import ConnectorAPI
import Foundation
import Netlink
import Testing
import TestSupport

@testable import SiteNetwork

/// `lab verify` on a real lab (root): the end-to-end site passes; each rule broken by hand (the forward chain
/// flushed, a dnsmasq stopped, the default routes deleted) fails, naming the rule that predicted otherwise; the
/// next apply repairs it and verify passes again.
@Suite(.serialized, .enabled(if: siteToolsAvailable, "needs root, iproute2, dnsmasq and busybox"))
struct LabVerifyTests {
    @Test func aGoodLabPassesAndEachBrokenRuleIsNamed() async throws {
        let config = {
            var config = SiteFixtures.twoWANsTwoLANs("verify")
            config.acls = [SiteFixtures.officeToLabSSH]
            return config
        }()
        let site = TestSite(config)
        defer { site.tearDown() }
        let lab = try await offPool { try Lab(reconciler: site.reconciler).up(config, hostsPerLAN: 1, timeout: .seconds(20)) }
        #expect(lab.hosts.allSatisfy { $0.lease != nil })
        // The lab's own DHCP server offers without the 3 s ping, and a later apply (an agent's) keeps it that way.
        let officeDHCP = try String(contentsOfFile: "\(site.names.stateDirectory)/dnsmasq-port3.conf", encoding: .utf8)
        #expect(officeDHCP.contains("\nno-ping\n"))
        #expect(try await offPool { try site.reconciler.plan(config) }.isEmpty)
        let verifier = LabVerifier(reconciler: site.reconciler)

        let good = try await offPool { try verifier.verify(config) }
        #expect(good.failed == 0, "\(good.text)")
        #expect(good.dhcp.count == 2 && good.checks.count >= 14)
        #expect(good.checks.contains { $0.from == "office" && $0.to == "lab" && $0.probe == Probe(.tcp, port: 22) && $0.seen.verdict == .allow })
        let out = try #require(good.checks.first { $0.from == "office" && $0.to == "internet" && $0.probe.proto == .tcp })
        #expect(out.seen.source == IPv4Address("198.51.100.2") && out.seen.receiver == site.names.upstream("port1"), "NAT and WAN measured")

        // The forward chain flushed: LAN-to-LAN is open, and verify names the default drop it expected.
        let connector = try NamespaceHandle(site.names.connector)
        _ = try connector.nft { try $0.run("flush chain ip vconnector forward") }
        let open = try await offPool { try verifier.verify(config) }
        #expect(open.failed > 0)
        #expect(open.checks.filter { !$0.passed }.allSatisfy { $0.problem?.contains("LAN-to-LAN default drop") == true }, "\(open.text)")
        _ = try await offPool { try site.reconciler.apply(config, dhcpWait: .zero) }

        // A dnsmasq stopped: its LAN's DHCP check fails; the relay LAN's still passes.
        Daemons.stop(pidFile: "\(site.names.stateDirectory)/dnsmasq-port3.pid")
        let noDHCP = try await offPool { try verifier.verify(config) }
        let office = try #require(noDHCP.dhcp.first { $0.lan == "office" })
        #expect(!office.passed && office.problem?.contains("no DHCP answer on LAN office") == true, "\(noDHCP.text)")
        #expect(noDHCP.dhcp.first { $0.lan == "lab" }?.passed == true)
        _ = try await offPool { try site.reconciler.apply(config, dhcpWait: .zero) }

        // The default routes deleted: nothing reaches the internet, and verify says by which rule it should have.
        for route in try connector.socket.routes() where route.destination == "0.0.0.0/0" {
            try connector.socket.deleteRoute(route)
        }
        let noRoute = try await offPool { try verifier.verify(config) }
        let internet = noRoute.checks.filter { $0.to == "internet" }
        #expect(!internet.isEmpty && internet.allSatisfy { !$0.passed && $0.problem?.contains("masquerade out of isp-a") == true }, "\(noRoute.text)")
        _ = try await offPool { try site.reconciler.apply(config, dhcpWait: .zero) }
        let repaired = try await offPool { try verifier.verify(config) }
        #expect(repaired.failed == 0, "repaired: \(repaired.text)")
    }

    @Test func aWANThatGoesDownFailsOverToTheNextAndComesBack() async throws {
        let config = {
            var config = SiteFixtures.twoWANsTwoLANs("failover")
            config.wans[0].healthCheckRate = "high"
            return config
        }()
        let site = TestSite(config)
        defer { site.tearDown() }
        _ = try await offPool { try Lab(reconciler: site.reconciler).up(config, hostsPerLAN: 1, timeout: .seconds(20)) }
        let report = try await offPool { try LabVerifier(reconciler: site.reconciler).verify(config, wanDowns: ["isp-a"]) }
        #expect(report.failed == 0, "\(report.text)")
        let down = report.checks.filter { $0.phase == "wan-down isp-a" && $0.to == "internet" && $0.probe.proto != .icmp }
        #expect(!down.isEmpty && down.allSatisfy { $0.seen.receiver == site.names.upstream("port2") }, "traffic left by isp-b")
        #expect(down.allSatisfy { $0.seen.source?.description.hasPrefix("100.64.2.") == true }, "masqueraded to isp-b's DHCP address")
        let back = report.checks.filter { $0.phase == "wan-up isp-a" && $0.to == "internet" && $0.probe.proto != .icmp }
        #expect(!back.isEmpty && back.allSatisfy { $0.seen.receiver == site.names.upstream("port1") }, "and back on isp-a")
        // Within three probe intervals (1 s at high), as the monitor promises.
        let note = try #require(report.notes.first { $0.hasPrefix("wan-down isp-a: default route off port1 after ") })
        let seconds = try #require(Double(note.dropFirst("wan-down isp-a: default route off port1 after ".count).prefix { $0 != " " }))
        #expect(seconds <= 3.0, "\(note)")
        #expect(site.reconciler.downWANs(site.names).isEmpty)
        // The fault was taken back: the upstream answers again.
        let upstream = try NamespaceHandle(site.names.upstream("port1"))
        #expect(throws: (any Error).self) { try upstream.nft { try $0.run("list table ip \(LabFault.table)") } }
    }

    @Test func verifyOfASiteThatIsNotUpIsAClearError() throws {
        let config = SiteFixtures.twoWANsTwoLANs("not-up")
        let site = TestSite(config)
        defer { site.tearDown() }
        let error = #expect(throws: VerifyError.self) { try LabVerifier(reconciler: site.reconciler).verify(config) }
        #expect(error?.description.contains("run `vconnector lab up FILE` first") == true)
    }
}
