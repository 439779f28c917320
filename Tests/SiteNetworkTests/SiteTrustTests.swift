import ConnectorAPI
import Foundation
import Netlink
import SiteRules
import TestSupport
import Testing

@testable import SiteNetwork

/// The trust boundary on a real host (root): hostile names applied as data, keys that collide, namespaces that
/// only look like ours, a crashed `ip netns add`, an edited nft table, and two applies at once. Every test
/// tears its site down even when it fails.
@Suite(.serialized, .enabled(if: siteToolsAvailable, "needs root, iproute2, dnsmasq and busybox"))
struct SiteTrustTests {
    /// One LAN with a DHCP server, no WAN: quick to apply, and enough for dnsmasq to read a name.
    static func oneLAN(_ siteName: String, lanName: String = "office") -> SiteConfig {
        SiteConfig(
            site: Site(name: siteName),
            lans: [LAN(id: "lan-1", name: lanName, physport: 3, staticAddressing: LANStaticAddressing(
                address: "192.168.77.1/24",
                dhcpServer: DHCPServer(dhcpPoolEnd: "192.168.77.150", dhcpPoolStart: "192.168.77.100")))],
            wans: [], acls: [])
    }

    @Test func hostileButPrintableNamesAreAppliedAsDataAndNothingRuns() async throws {
        let disarm = HostileStrings.armScript()
        defer { disarm() }
        let hostile = "o'f\"f#i=c$(touch \(HostileStrings.marker))`touch \(HostileStrings.marker)` ; dhcp-script=\(HostileStrings.marker).sh"
        var config = Self.oneLAN("vct-hostile-\(UInt32.random(in: 0...UInt32.max))", lanName: hostile)
        config.lans.append(LAN(id: "lan-2", name: "lab ../../x", physport: 4, staticAddressing: LANStaticAddressing(address: "192.168.78.1/24")))
        config.acls = [ACL(lan1: ACLConfiguration(lanName: hostile), lan2: ACLConfiguration(lanName: "lab ../../x"), name: hostile)]
        #expect(SiteValidator.validate(config).isEmpty, "printable names are valid")
        let site = TestSite(config)
        defer { site.tearDown() }
        // A lab host takes a lease, so a dhcp-script that got into the config would run now.
        let applied = config
        let report = try await offPool { try Lab(reconciler: site.reconciler).up(applied, hostsPerLAN: 1, timeout: .seconds(15)) }
        #expect(report.hosts.first { $0.link == "port3" }?.lease != nil, "dnsmasq serves with the hostile name in its comment")
        let file = try String(contentsOfFile: "\(site.names.stateDirectory)/dnsmasq-port3.conf", encoding: .utf8)
        #expect(file.split(separator: "\n").count == 13, "the comment, 11 directives and the lab's no-ping: nothing added")
        #expect(file.split(separator: "\n").dropFirst().allSatisfy { !$0.contains("dhcp-script") && !$0.contains("$(") })
        #expect(!HostileStrings.markerExists, "no payload ran")
        // Every file the apply wrote is under the state root.
        let written = FileManager.default.enumerator(atPath: site.stateRoot)?.allObjects as? [String] ?? []
        #expect(!written.isEmpty && written.allSatisfy { !$0.contains("..") })
    }

    @Test func aConfigThatFailsValidationTouchesNothing() throws {
        let config = Self.oneLAN("vct-refused-\(UInt32.random(in: 0...UInt32.max))", lanName: HostileStrings.dnsmasqScript)
        let site = TestSite(config)
        defer { site.tearDown() }
        #expect(throws: SiteValidationError.self) { try site.reconciler.apply(config) }
        #expect(!Namespaces.exists(site.names.connector))
        #expect(!FileManager.default.fileExists(atPath: site.names.stateDirectory))
    }

    @Test func twoSitesWhoseKeysCollideCannotTakeEachOtherOver() async throws {
        // FNV-1a 32 collides: the issue's pair.
        #expect(SiteNames.key(for: "branch-718885") == SiteNames.key(for: "branch-1288020"))
        let first = Self.oneLAN("branch-718885")
        let second = Self.oneLAN("branch-1288020")
        let site = TestSite(first)
        defer { site.tearDown() }
        _ = try await offPool { try site.reconciler.apply(first, dhcpWait: .zero) }
        let collision = #expect(throws: SiteKeyCollision.self) { try site.reconciler.apply(second, dhcpWait: .zero) }
        #expect(collision?.description.contains("already belongs to site 'branch-718885'") == true)
        #expect(throws: SiteKeyCollision.self) { try site.reconciler.teardown(second) }
        #expect(try site.reconciler.plan(first).isEmpty, "the first site is intact")
    }

    @Test func teardownLeavesNamespacesThatOnlyLookLikeOurs() throws {
        let key = String(format: "%08x", UInt32.random(in: 0...UInt32.max))
        let foreign = "vc-\(key)"
        try TestNamespace.ip(["netns", "add", foreign])
        defer { _ = try? TestNamespace.ip(["netns", "del", foreign]) }
        let stateRoot = SiteFixtures.stateRoot()
        defer { try? FileManager.default.removeItem(atPath: stateRoot) }
        let reconciler = SiteReconciler(stateRoot: stateRoot)
        #expect(!reconciler.appliedSites().contains(key), "an unmarked vc-* namespace is no applied site")
        #expect(try reconciler.teardown(SiteNames(key: key, stateRoot: stateRoot)).isEmpty)
        #expect(Namespaces.exists(foreign), "not ours: left alone")
        // A key that is a path is refused before anything is looked at.
        let victim = "\(stateRoot)/victim"
        try FileManager.default.createDirectory(atPath: victim, withIntermediateDirectories: true)
        #expect(throws: SiteKeyError.self) { try reconciler.teardown(SiteNames(key: "../victim", stateRoot: stateRoot)) }
        #expect(throws: SiteKeyError.self) { try SiteNames(validatingKey: "../../victim", stateRoot: stateRoot) }
        #expect(FileManager.default.fileExists(atPath: victim))
    }

    @Test func aStaleNamespaceFileFromACrashedNetnsAddIsRepaired() async throws {
        let config = Self.oneLAN("vct-stale-\(UInt32.random(in: 0...UInt32.max))")
        let site = TestSite(config)
        defer { site.tearDown() }
        try FileManager.default.createDirectory(atPath: Namespaces.directory, withIntermediateDirectories: true)
        // What `ip netns add` leaves when it dies between creating the file and mounting the namespace on it.
        #expect(FileManager.default.createFile(atPath: "\(Namespaces.directory)/\(site.names.connector)", contents: nil))
        #expect(Namespaces.isStale(site.names.connector))
        _ = try await offPool { try site.reconciler.apply(config, dhcpWait: .zero) }
        #expect(Namespaces.exists(site.names.connector))
        #expect(try site.reconciler.plan(config).isEmpty)
    }

    @Test func anEditedOrFlushedRulesetIsDriftAndTheNextApplyRepairsIt() async throws {
        var config = Self.oneLAN("vct-drift-\(UInt32.random(in: 0...UInt32.max))")
        config.lans.append(LAN(id: "lan-2", name: "lab", physport: 4, staticAddressing: LANStaticAddressing(address: "192.168.78.1/24")))
        let site = TestSite(config)
        defer { site.tearDown() }
        let applied = config
        _ = try await offPool { try site.reconciler.apply(applied, dhcpWait: .zero) }
        #expect(try site.reconciler.plan(config).isEmpty)
        let connector = try NamespaceHandle(site.names.connector)
        for edit in ["flush chain ip vconnector forward", "add rule ip vconnector forward accept",
                     "add chain ip vconnector extra", "delete chain ip vconnector fingerprint"] {
            _ = try connector.nft { try $0.run(edit) }
            let drift = try site.reconciler.plan(config)
            #expect(drift.count == 1, "\(edit): \(drift)")
            #expect(drift.first.map { if case .loadRuleset = $0 { true } else { false } } == true, "\(edit)")
            let repair = try await offPool { try site.reconciler.apply(applied, dhcpWait: .zero) }
            #expect(repair.operations.count == 1, "\(edit)")
            #expect(try site.reconciler.plan(config).isEmpty, "\(edit): repaired")
        }
        // Counters counting packets are no edit.
        #expect(try site.reconciler.plan(config).isEmpty)
        let forward = try connector.nft { try $0.run("list chain ip vconnector forward") }
        #expect(forward.contains("LAN to LAN without an ACL"))
    }

    @Test func theSiteLockMakesASecondApplyWaitAndThenFailClearly() throws {
        let stateRoot = SiteFixtures.stateRoot()
        defer { try? FileManager.default.removeItem(atPath: stateRoot) }
        let names = SiteNames(key: "0badf00d", stateRoot: stateRoot)
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let released = DispatchSemaphore(value: 0)
        let holder = Thread {
            _ = try? SiteLock.holding(names.lockFile, timeout: .seconds(5), waiting: { _ in }) {
                holding.signal()
                release.wait()
            }
            released.signal()
        }
        holder.start()
        holding.wait()
        var waitedFor: Int32?
        let started = ContinuousClock.now
        let error = #expect(throws: SiteLockError.self) {
            try SiteLock.holding(names.lockFile, timeout: .milliseconds(300), waiting: { waitedFor = $0 }) {}
        }
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        #expect(waitedFor == getpid(), "the waiter is told who holds the lock")
        #expect(error?.code == .heldByAnother)
        #expect(error?.description.contains("another apply or teardown of this site still holds it") == true)
        release.signal()
        released.wait()
        // Once released, the next one gets it at once.
        #expect(try SiteLock.holding(names.lockFile, timeout: .seconds(2), waiting: { _ in Issue.record("should not wait") }) { true })
    }

    @Test func concurrentApplyAndTeardownOfOneSiteLeaveItWholeOrGone() async throws {
        let config = Self.oneLAN("vct-race-\(UInt32.random(in: 0...UInt32.max))")
        let site = TestSite(config)
        defer { site.tearDown() }
        for round in 0..<3 {
            // Two reconcilers (as two processes would have), one applying and one tearing down, at once.
            let applier = SiteReconciler(stateRoot: site.stateRoot)
            let remover = SiteReconciler(stateRoot: site.stateRoot)
            async let applied: Void = offPool { _ = try applier.apply(config, dhcpWait: .zero) }
            async let removed: Void = offPool { _ = try remover.teardown(site.names) }
            _ = try await (applied, removed)
            let present = Namespaces.exists(site.names.connector)
            if present {
                #expect(try site.reconciler.plan(config).isEmpty, "round \(round): applied whole")
            } else {
                #expect(!Namespaces.exists(site.names.fabric) && !FileManager.default.fileExists(atPath: site.names.stateDirectory),
                        "round \(round): gone whole")
            }
        }
    }
}
