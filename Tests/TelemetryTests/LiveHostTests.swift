import ConnectorAPI
import Foundation
import Netlink
import Testing
import Telemetry

/// Invariants of real snapshots of this machine.
@Suite("Live snapshots of this host", .serialized)
struct LiveHostTests {
    @Test("two snapshots a second apart: counters never go backwards, uptime grows")
    func monotonic() throws {
        let collector = try SnapshotCollector()
        let (first, firstWarnings) = collector.collect()
        Thread.sleep(forTimeInterval: 1)
        let (second, secondWarnings) = collector.collect()
        #expect(firstWarnings.isEmpty && secondWarnings.isEmpty, "warnings: \(firstWarnings + secondWarnings)")

        let counters: [(String, KeyPath<Snapshot, UInt64?>)] = [
            ("cpu_time_user_ms", \.cpuTimeUserMs), ("cpu_time_system_ms", \.cpuTimeSystemMs), ("cpu_time_idle_ms", \.cpuTimeIdleMs),
            ("kernel_ctxt", \.kernelCtxt), ("kernel_processes", \.kernelProcesses), ("uptime_idle_ms", \.uptimeIdleMs),
            ("cpu_pressure_total_us", \.cpuPressureTotalUs), ("io_pressure_some_total_us", \.ioPressureSomeTotalUs),
        ]
        for (name, keyPath) in counters {
            let before = try #require(first[keyPath: keyPath], "\(name) missing")
            let after = try #require(second[keyPath: keyPath], "\(name) missing")
            #expect(after >= before, "\(name) went backwards: \(before) -> \(after)")
        }
        let snmp: [(String, KeyPath<Snapshot, Int64?>)] = [
            ("snmp_ip_in_receives", \.snmpIpInReceives), ("snmp_ip_out_requests", \.snmpIpOutRequests), ("snmp_tcp_in_segs", \.snmpTcpInSegs),
        ]
        for (name, keyPath) in snmp {
            #expect((second[keyPath: keyPath] ?? -1) >= (first[keyPath: keyPath] ?? 0), "\(name) went backwards")
        }
        for device in first.netdevs ?? [] {
            let later = try #require(second.netdevs?.first { $0.name == device.name })
            #expect(later.recvBytes >= device.recvBytes && later.sentPackets >= device.sentPackets, "\(device.name) counters went backwards")
        }
        for disk in first.disks ?? [] {
            let later = try #require(second.disks?.first { $0.name == disk.name })
            #expect(later.reads >= disk.reads && later.writes >= disk.writes, "\(disk.name) counters went backwards")
        }
        let upBefore = try #require(first.uptimeTotalMs)
        let upAfter = try #require(second.uptimeTotalMs)
        #expect(upAfter >= upBefore + 900, "uptime grew by \(upAfter - upBefore) ms in a 1 s sleep")
        #expect(second.t > first.t)
    }

    @Test("memory: total > available > 0; cpu_count equals the online CPUs")
    func memoryAndCPUs() throws {
        let (snapshot, _) = try SnapshotCollector().collect()
        let total = try #require(snapshot.memoryTotalBytes)
        let available = try #require(snapshot.memoryAvailableBytes)
        #expect(total > available && available > 0)
        #expect(snapshot.cpuCount == sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #expect(snapshot.kernelBtime == snapshot.systemBootTimeS)
        let bootFromUptime = Date().timeIntervalSince1970 - Double(try #require(snapshot.uptimeTotalMs)) / 1000
        #expect(abs(Double(try #require(snapshot.kernelBtime)) - bootFromUptime) < 5)
    }

    @Test("every snmp field of the schema is present on this kernel")
    func snmpComplete() throws {
        let (snapshot, _) = try SnapshotCollector().collect()
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(snapshot)) as? [String: Any])
        let seed = try String(contentsOf: Fixtures.root.appendingPathComponent("seeds/get-snapshot.md"), encoding: .utf8)
        let documented = Set(seed.split(separator: "\n").filter { $0.hasPrefix("- `snmp_") }.map { String($0.dropFirst(3).prefix(while: { $0 != ":" })) })
        #expect(documented.count == 64)
        #expect(Set(json.keys.filter { $0.hasPrefix("snmp_") }) == documented)
    }

    @Test("every interface netlink reports appears, with its addresses; lo has 127.0.0.1/8")
    func interfacesMatchNetlink() throws {
        let socket = try RouteSocket()
        let links = try socket.links()
        let (snapshot, _) = try SnapshotCollector().collect()
        let interfaces = try #require(snapshot.interfaces)
        #expect(Set(interfaces.map(\.name)) == Set(links.map(\.name)))
        let lo = try #require(interfaces.first { $0.name == "lo" })
        #expect(lo.ipAddresses?.contains { $0.ipAddress == "127.0.0.1/8" } == true)
        #expect(lo.speed == nil, "lo has no ethtool speed and must not report 0")
        #expect(Set(interfaces.compactMap(\.speed)).allSatisfy { $0 > 0 })
    }

    @Test("the root mount is reported with its size from statvfs")
    func rootMount() throws {
        let (snapshot, _) = try SnapshotCollector().collect()
        let mounts = try #require(snapshot.mounts)
        let root = try #require(mounts.first { $0.mountPoint == "/" })
        #expect((root.totalBytes ?? 0) >= (root.availableBytes ?? 0) && (root.totalBytes ?? 0) > 0)
        #expect(!mounts.contains { ["proc", "sysfs", "cgroup", "cgroup2", "devpts"].contains($0.fileSystem) })
    }
}
