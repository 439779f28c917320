import ConnectorAPI
import Foundation
import Testing
import Telemetry

/// Whole fixture trees against golden JSON in fixtures/golden. To re-record after a deliberate change:
/// `VCONNECTOR_UPDATE_GOLDEN=1 swift test --filter GoldenSnapshotTests`, then review the diff.
@Suite("Fixture host trees produce their golden snapshots")
struct GoldenSnapshotTests {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }()

    func check(_ host: String) throws -> (Snapshot, [CollectionWarning]) {
        let (snapshot, warnings) = try Fixtures.collector(host).collect()
        let actual = String(decoding: try Self.encoder.encode(snapshot), as: UTF8.self) + "\n"
        let golden = Fixtures.root.appendingPathComponent("golden/\(host).json")
        if ProcessInfo.processInfo.environment["VCONNECTOR_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(actual == expected, "snapshot of \(host) differs from fixtures/golden/\(host).json")
        return (snapshot, warnings)
    }

    @Test("kernel 6.x (this machine's shape): PSI with full lines, 20-field diskstats")
    func linux6() throws {
        let (snapshot, warnings) = try check("linux-6")
        #expect(warnings.isEmpty)
        #expect(snapshot.cpuPressureTotalUs != nil && snapshot.ioPressureFullTotalUs != nil)
        #expect(snapshot.disks?.first { $0.name == "vda" }?.flushes != nil)
        #expect(snapshot.mounts?.map(\.mountPoint) == ["/"])
        #expect(snapshot.mounts?.first?.kind == "HDD")
        #expect(snapshot.platform == "linux-x86_64")
    }

    @Test("kernel 4.x: 14-field diskstats, no PSI, fewer meminfo keys, no arch file")
    func linux4() throws {
        let (snapshot, warnings) = try check("linux-4")
        #expect(warnings.isEmpty)
        #expect(snapshot.cpuPressure10s == nil && snapshot.ioPressureSome10s == nil && snapshot.memoryPressureFull10s == nil)
        #expect(snapshot.memoryKReclaimableBytes == nil && snapshot.memoryPerCpuBytes == nil)
        #expect(snapshot.disks?.map(\.name) == ["sda", "sr0"])
        #expect(snapshot.disks?.first?.discards == nil)
        let backup = try #require(snapshot.mounts?.first { $0.mountPoint == "/mnt/backup copy" })
        #expect(backup.isReadOnly == true && backup.kind == "HDD" && backup.name == "/dev/sda1")
        #expect(snapshot.snmpTcpMaxConn == -1)
        #expect(snapshot.snmpIpForwardingEnabled == false)
    }

    @Test("sensors, a bond and a removable disk (kernel 5.10: PSI without cpu full, 18-field diskstats)")
    func sensorsBondUSB() throws {
        let (snapshot, warnings) = try check("sensors-bond-usb")
        // hwmon1/temp2_input cannot be read: that sensor alone is skipped, with a warning.
        #expect(warnings.count == 1)
        #expect(warnings.first?.section == "thermals")
        let labels = snapshot.thermals?.map(\.label) ?? []
        #expect(labels == ["acpitz", "x86_pkg_temp", "coretemp Package id 0", "coretemp Core 0", "nvme temp1"])
        let acpi = try #require(snapshot.thermals?.first)
        #expect(acpi.currentCelcius == 45 && acpi.criticalCelcius == 105 && acpi.maxCelcius == 45)
        let nvme = try #require(snapshot.thermals?.last)
        #expect(nvme.maxCelcius == 61.85 && nvme.criticalCelcius == 84.85)
        #expect(snapshot.bonds == [Snapshot.Bond(name: "bond0", status: "up")])
        let usb = try #require(snapshot.mounts?.first { $0.mountPoint == "/media/usb" })
        #expect(usb.isRemovable == true && usb.kind == "HDD" && usb.fileSystem == "vfat")
        #expect(snapshot.mounts?.first { $0.mountPoint == "/" }?.kind == "SSD")
        #expect(snapshot.mounts?.contains { $0.mountPoint == "/tmp" } == false)
        #expect(snapshot.cpuPressure10s == 1.25)
        #expect(snapshot.disks?.map(\.name) == ["nvme0n1", "sdb"])
        #expect(snapshot.disks?.first?.discards == 10234 && snapshot.disks?.first?.flushes == nil)
        #expect(snapshot.memoryHugepagesTotal == 16)
        #expect(snapshot.cpuCount == 4)
        #expect(snapshot.platform == "linux-aarch64")
    }

    @Test("a corrupted tree: malformed sections are dropped with warnings, the rest is reported")
    func corrupted() throws {
        let (snapshot, warnings) = try check("corrupted")
        let dropped = Set(warnings.map(\.section))
        #expect(dropped == ["stat", "loadavg", "meminfo", "pressure/io", "diskstats", "net/snmp"])
        #expect(snapshot.cpuTimeUserMs == nil && snapshot.kernelCtxt == nil)
        #expect(snapshot.memoryTotalBytes == nil)
        #expect(snapshot.loadAverage1m == nil)
        #expect(snapshot.disks == nil)
        #expect(snapshot.snmpTcpInSegs == nil && snapshot.snmpIpInReceives == nil)
        #expect(snapshot.ioPressureSome10s == nil && snapshot.ioPressureFull10s == nil)
        // Untouched sources are still there.
        #expect(snapshot.uptimeTotalMs != nil)
        #expect(snapshot.netdevs?.isEmpty == false)
        #expect(snapshot.cpuPressure10s != nil && snapshot.memoryPressureSome10s != nil)
        #expect(snapshot.mounts?.isEmpty == false)
    }

    @Test("a missing proc tree drops every section with a warning but still yields t, v and the counters")
    func missingTree() throws {
        var options = CollectorOptions()
        options.procRoot = "/nonexistent-\(UInt64.random(in: 0...UInt64.max))"
        options.sysRoot = options.procRoot
        options.readsNetlink = false
        let (snapshot, warnings) = try SnapshotCollector(options: options).collect(counters: {
            var counters = AgentCounters()
            counters.transmitFailures = 3
            return counters
        }())
        #expect(!warnings.isEmpty)
        #expect(snapshot.countTransmitFailures == 3)
        #expect(snapshot.v == VConnectorVersion.current)
        #expect(snapshot.memoryTotalBytes == nil)
    }
}
