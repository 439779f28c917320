import ConnectorAPI
import Fleet
import Foundation
import TestSupport
import Testing

@Suite struct InvariantTests {
    /// A simulated day of every profile: the checker finds nothing, and the telemetry moves as documented.
    @Test(arguments: try FleetFixtures.profiles().map(\.name))
    func aDayOfEveryProfileKeepsEveryInvariant(profile name: String) async throws {
        let profile = try #require(try FleetFixtures.profiles().first { $0.name == name })
        let plan = try FleetFixtures.plan(connectors: 3, interval: 120, hours: 24, profiles: [profile])
        let sink = try await FleetFixtures.record(plan)
        #expect(sink.wasFinished)
        for connector in sink.byConnector.keys {
            let snapshots = try sink.snapshots(of: connector)
            let events = try sink.events(of: connector)
            #expect(snapshots.count == 720)
            let violations = try await offPool {
                FleetChecker.check(connector: connector, snapshots: snapshots, events: events)
            }
            #expect(violations.isEmpty, "\(violations.prefix(5))")
            #expect(events.map(\.e) == [.`init`, .startAttestation, .finishAttestationSuccess, .leave])
            // The shape of the real host: PSI where its kernel has it, and not elsewhere.
            #expect((snapshots[0].cpuPressure10s == nil) == (profile.template.cpuPressure10s == nil))
            #expect((snapshots[0].thermals == nil) == (profile.template.thermals == nil))
            // Gauges follow the day: the busiest hour's load is well above the quietest's.
            let loads = snapshots.compactMap(\.loadAverage15m)
            #expect(try #require(loads.max()) > 2 * max(try #require(loads.min()), 0.01))
            // DHCP clients come and go.
            let leaseCounts = Set(snapshots.map { $0.dhcpLeases?.count ?? 0 })
            #expect(leaseCounts.count > 3)
        }
    }

    @Test func incidentsShowInTheirConnectorsAtTheirTimes() async throws {
        let scenario = try ScenarioFile.load(path: FleetFixtures.root.path + "/fixtures/fleet/scenario-incidents.json")
        let plan = try FleetFixtures.plan(connectors: 5, interval: 30, hours: 2, scenario: scenario)
        let sink = try await FleetFixtures.record(plan)
        let ids = (0..<5).map(plan.offlineID(of:))
        let start = FleetFixtures.start
        func during(_ connector: Int, from: Double, to: Double) throws -> [Snapshot] {
            try sink.snapshots(of: ids[connector]).filter { $0.t >= start + from && $0.t < start + to }
        }
        // 0: its WAN is down from 20 to 23 minutes, with Reconcile at both ends; no one else's is.
        let wan = try #require(
            try sink.snapshots(of: ids[0]).first?.interfaces?.first {
                $0.ipAddresses?.first?.ipAddress.hasPrefix("100.") == true
            }?.name)
        #expect(
            try during(0, from: 20 * 60 + 30, to: 23 * 60).allSatisfy {
                $0.interfaces?.first { $0.name == wan }?.operstate == "down"
            })
        #expect(
            try during(0, from: 24 * 60, to: 30 * 60).allSatisfy {
                $0.interfaces?.first { $0.name == wan }?.operstate == "up"
            })
        #expect(
            try during(4, from: 20 * 60, to: 23 * 60).allSatisfy {
                $0.interfaces?.allSatisfy { $0.operstate != "down" || $0.ipAddresses == nil } == true
            })
        #expect(try sink.events(of: ids[0]).filter { $0.e == .reconcile }.map { $0.t - start } == [1200, 1380])
        // Its tunnels ride that WAN: down with it.
        #expect(try during(0, from: 20 * 60 + 10, to: 23 * 60).allSatisfy { $0.tunnels?.allSatisfy { $0.healthValue == 3 } ?? false })
        // 1: MemAvailable falls under 10 % of MemTotal and memory PSI rises, only during its pressure.
        let pressed = try during(1, from: 40 * 60, to: 45 * 60)
        #expect(
            !pressed.isEmpty
                && pressed.allSatisfy { Double($0.memoryAvailableBytes!) < 0.1 * Double($0.memoryTotalBytes!) })
        #expect(
            pressed.allSatisfy { ($0.memoryPressureSome10s ?? 100) > 10 }
                || pressed.allSatisfy { $0.memoryPressureSome10s == nil })
        #expect(
            try during(1, from: 0, to: 30 * 60).allSatisfy {
                Double($0.memoryAvailableBytes!) > 0.2 * Double($0.memoryTotalBytes!)
            })
        // 2: its system file system is nearly full at the end of the incident, and freed after.
        let full = try #require(try during(2, from: 59 * 60, to: 60 * 60).last?.mounts?.first)
        #expect(Double(full.availableBytes!) < 0.02 * Double(full.totalBytes!))
        #expect(
            Double(try #require(try during(2, from: 61 * 60, to: 62 * 60).last?.mounts?.first?.availableBytes)) > 0.1
                * Double(full.totalBytes!))
        // 3: a reboot at 1 h: Leave, 90 s without snapshots, a new boot time, counters from zero, Init again.
        let events = try sink.events(of: ids[3]).map { ($0.e, $0.t - start) }
        #expect(
            events.contains { $0.0 == .leave && $0.1 == 3600 } && events.contains { $0.0 == .`init` && $0.1 == 3690 })
        #expect(try during(3, from: 3600, to: 3690).isEmpty)
        let before = try #require(try during(3, from: 3500, to: 3600).last),
            after = try #require(try during(3, from: 3690, to: 3800).first)
        #expect(
            after.kernelBtime! > before.kernelBtime! && after.uptimeTotalMs! < 200_000
                && after.kernelCtxt! < before.kernelCtxt!)
        // 1: the edge stops answering its ipsec0 at 70 min for 5 min: down (every recent probe lost) once ten
        // probes were lost, Reconcile 2 s after each end, healthy again after; ipsec1 (if any) never down.
        let lost = try during(1, from: 70 * 60 + 10, to: 75 * 60)
        #expect(!lost.isEmpty && lost.allSatisfy { snapshot in
            snapshot.tunnels?.first { $0.interfaceName == "ipsec0" }.map {
                $0.healthState == "down" && $0.healthValue == 3 && $0.recentUnhealthyPings == 10 && $0.recentHealthyPings == 0
            } ?? false
        })
        #expect(try during(1, from: 0, to: 70 * 60).allSatisfy { $0.tunnels?.allSatisfy { $0.healthValue != 3 } ?? false })
        #expect(try during(1, from: 76 * 60, to: 120 * 60).allSatisfy { $0.tunnels?.allSatisfy { $0.healthValue != 3 } ?? false })
        #expect(try sink.events(of: ids[1]).filter { $0.e == .reconcile }.map { $0.t - start } == [4202, 4502])
        #expect(try during(2, from: 0, to: 120 * 60).allSatisfy { ($0.tunnels?.count ?? 0) >= 1 })
        // Everyone: StartUpgrade then FinishUpgradeSuccess 45 s later, and the new version from then on.
        for id in ids {
            let upgrade = try sink.events(of: id).filter { $0.e == .finishUpgradeSuccess }
            #expect(upgrade.count == 1 && upgrade.first?.v == "0.2.0")
            let finished = try #require(upgrade.first?.t)
            #expect(try sink.snapshots(of: id).allSatisfy { ($0.t > finished) == ($0.v == "0.2.0") })
        }
        // And every invariant still holds, across the reboot and the upgrade.
        for id in ids {
            let (snapshots, recorded) = (try sink.snapshots(of: id), try sink.events(of: id))
            let violations = try await offPool {
                FleetChecker.check(connector: id, snapshots: snapshots, events: recorded)
            }
            #expect(violations.isEmpty, "\(violations.prefix(5))")
        }
    }
}
