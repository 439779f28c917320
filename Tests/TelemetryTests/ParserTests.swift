import ConnectorAPI
import Foundation
import Testing
@testable import Telemetry

@Suite("Pure parsers over kernel text")
struct ParserTests {
    @Test("/proc/stat: cpu columns, counters; fewer columns on old kernels")
    func procStat() throws {
        let stat = try ProcStat.parse("cpu  10 2 30 400 5 6 7 8 9 1\ncpu0 1 1 1 1 1 1 1 1 1 1\nctxt 99\nbtime 1700000000\nprocesses 12\nprocs_running 3\nprocs_blocked 1\n")
        #expect(stat.cpuTicks == [10, 2, 30, 400, 5, 6, 7, 8, 9, 1])
        #expect(stat.contextSwitches == 99 && stat.bootTime == 1_700_000_000 && stat.processesForked == 12)
        #expect(stat.processesRunning == 3 && stat.processesBlocked == 1)
        var snapshot = Snapshot(t: 0, v: "")
        snapshot.record(try ProcStat.parse("cpu  10 2 30 400 5 6 7\n"))
        #expect(snapshot.cpuTimeUserMs == 100 && snapshot.cpuTimeSoftirqMs == 70)
        #expect(snapshot.cpuTimeStealMs == nil && snapshot.cpuTimeGuestMs == nil)
    }

    @Test("/proc/stat: garbage or a missing cpu line is an error")
    func procStatErrors() {
        #expect(throws: ParseError.self) { try ProcStat.parse("cpu  10 x 30 400\n") }
        #expect(throws: ParseError.self) { try ProcStat.parse("ctxt 5\n") }
        #expect(throws: ParseError.self) { try ProcStat.parse("cpu  10 2\n") }
    }

    @Test("/proc/loadavg: averages and runnable/total")
    func loadAverage() throws {
        let load = try LoadAverage.parse("0.20 1.18 12.12 4/801 11206\n")
        #expect(load == LoadAverage(oneMinute: 0.2, fiveMinutes: 1.18, fifteenMinutes: 12.12, runnable: 4, total: 801))
        #expect(throws: ParseError.self) { try LoadAverage.parse("0.20 1.18\n") }
        #expect(throws: ParseError.self) { try LoadAverage.parse("0.20 1.18 0.1 4-801 1\n") }
    }

    @Test("/proc/uptime: seconds to milliseconds; idle is the second field")
    func uptime() throws {
        var snapshot = Snapshot(t: 0, v: "")
        snapshot.record(try Uptime.parse("350735.47 234388.90\n"))
        #expect(snapshot.uptimeTotalMs == 350_735_470)
        #expect(snapshot.uptimeIdleMs == 234_388_900)
        #expect(throws: ParseError.self) { try Uptime.parse("350735.47\n") }
    }

    @Test("/proc/meminfo: kB to bytes, HugePages_* stay counts, absent keys stay nil")
    func memInfo() throws {
        var snapshot = Snapshot(t: 0, v: "")
        snapshot.record(try MemInfo.parse("MemTotal:  100 kB\nMemAvailable: 50 kB\nHugePages_Total:  16\nHugepagesize: 2048 kB\nActive(anon): 1 kB\n"))
        #expect(snapshot.memoryTotalBytes == 102_400)
        #expect(snapshot.memoryAvailableBytes == 51_200)
        #expect(snapshot.memoryHugepagesTotal == 16)
        #expect(snapshot.memoryHugepagesizeBytes == 2_097_152)
        #expect(snapshot.memoryFreeBytes == nil)
        #expect(throws: ParseError.self) { try MemInfo.parse("MemTotal: 1x kB\n") }
        #expect(throws: ParseError.self) { try MemInfo.parse("MemTotal: 1 MB\n") }
        #expect(throws: ParseError.self) { try MemInfo.parse("MemTotal\n") }
    }

    @Test("the meminfo table fills exactly the memory_* fields that are not pressure")
    func memInfoTableCoversSchema() throws {
        var info = MemInfo()
        for (key, _) in Snapshot.memInfoFields { info.values[key] = 1 }
        var snapshot = Snapshot(t: 0, v: "")
        snapshot.record(info)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(snapshot)) as! [String: Any]
        let filled = Set(json.keys.filter { $0.hasPrefix("memory_") })
        let documented = Set(CodingKeysProbe.snapshotKeys.filter { $0.hasPrefix("memory_") && !$0.contains("pressure") })
        #expect(filled == documented)
        #expect(filled.count == 46)
    }

    @Test("PSI: some and full lines; a kernel without cpu full gives no error")
    func pressure() throws {
        let io = try Pressure.parse("some avg10=1.50 avg60=0.25 avg300=0.00 total=1234\nfull avg10=0.10 avg60=0.00 avg300=0.00 total=99\n")
        #expect(io.some == Pressure.Line(avg10: 1.5, avg60: 0.25, avg300: 0, totalMicroseconds: 1234))
        #expect(io.full?.totalMicroseconds == 99)
        let cpu = try Pressure.parse("some avg10=0.00 avg60=0.00 avg300=0.00 total=5\n")
        #expect(cpu.full == nil)
        #expect(throws: ParseError.self) { try Pressure.parse("some avg10=x avg60=0.00 avg300=0.00 total=5\n") }
        #expect(throws: ParseError.self) { try Pressure.parse("some avg10=0.00 avg60=0.00\n") }
    }

    @Test("/proc/diskstats: 14, 18 and 20 field kernels; partitions, loop and ram left out")
    func diskStats() throws {
        let text = """
               8       0 sda 1 2 3 4 5 6 7 8 9 10 11
               8       1 sda1 1 2 3 4 5 6 7 8 9 10 11
             259       0 nvme0n1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
             259       1 nvme0n1p1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
             254       0 vda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17
               7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
             253       0 zram0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
            """
        let disks = try DiskStats.parse(text)
        #expect(disks.map(\.name) == ["sda", "nvme0n1", "vda"])
        let sda = disks[0]
        #expect(sda.reads == 1 && sda.merged == 2 && sda.sectorsRead == 3 && sda.timeReadingMs == 4)
        #expect(sda.writes == 5 && sda.writesMerged == 6 && sda.sectorsWritten == 7 && sda.timeWritingMs == 8)
        #expect(sda.inProgress == 9 && sda.timeInProgressMs == 10 && sda.weightedTimeInProgressMs == 11)
        #expect(sda.discards == nil && sda.flushes == nil)
        #expect(disks[1].discards == 12 && disks[1].discardsMerged == 13 && disks[1].sectorsDiscarded == 14 && disks[1].timeDiscardingMs == 15)
        #expect(disks[1].flushes == nil)
        #expect(disks[2].flushes == 16 && disks[2].timeFlushingMs == 17)
        #expect(throws: ParseError.self) { try DiskStats.parse("8 0 sda 1 2 3 4 5 6\n") }
        #expect(throws: ParseError.self) { try DiskStats.parse("8 0 sda 1 2 3 4 5 6 7 8 9 10 -1\n") }
    }

    @Test("/proc/net/dev: columns in kernel order, wide counters glued to the name")
    func netDev() throws {
        let text = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
              eth0:1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
            """
        let dev = try #require(try NetDev.parse(text).first)
        #expect(dev.name == "eth0")
        #expect([dev.recvBytes, dev.recvPackets, dev.recvErrs, dev.recvDrop, dev.recvFifo, dev.recvFrame, dev.recvCompressed, dev.recvMulticast] == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect([dev.sentBytes, dev.sentPackets, dev.sentErrs, dev.sentDrop, dev.sentFifo, dev.sentColls, dev.sentCarrier, dev.sentCompressed] == [9, 10, 11, 12, 13, 14, 15, 16])
        #expect(throws: ParseError.self) { try NetDev.parse("h\nh\n eth0: 1 2 3\n") }
    }

    @Test("/proc/net/snmp: columns by name, not position; MaxConn may be -1; Forwarding 1 means enabled")
    func snmp() throws {
        // Columns deliberately reordered: a parser matching by position would mix them up.
        let snmp = try NetSNMP.parse("Ip: DefaultTTL Forwarding InReceives\nIp: 64 1 77\nTcp: MaxConn RtoMin\nTcp: -1 200\n")
        var snapshot = Snapshot(t: 0, v: "")
        snapshot.record(snmp)
        #expect(snapshot.snmpIpDefaultTtl == 64 && snapshot.snmpIpInReceives == 77)
        #expect(snapshot.snmpIpForwardingEnabled == true)
        #expect(snapshot.snmpTcpMaxConn == -1 && snapshot.snmpTcpRtoMin == 200)
        #expect(snapshot.snmpUdpInDatagrams == nil)
        snapshot.record(try NetSNMP.parse("Ip: Forwarding\nIp: 2\n"))
        #expect(snapshot.snmpIpForwardingEnabled == false)
        #expect(throws: ParseError.self) { try NetSNMP.parse("Ip: Forwarding DefaultTTL\nIp: 1\n") }
        #expect(throws: ParseError.self) { try NetSNMP.parse("Ip: Forwarding\nIp: x\n") }
        #expect(throws: ParseError.self) { try NetSNMP.parse("Ip: Forwarding\n") }
    }

    @Test("the snmp table covers every snmp_* field of the schema")
    func snmpTableCoversSchema() {
        let mapped = Set(Snapshot.snmpFields.map { CodingKeysProbe.name(of: $0.field) }) .union(["snmp_ip_forwarding_enabled"])
        #expect(mapped == Set(CodingKeysProbe.snapshotKeys.filter { $0.hasPrefix("snmp_") }))
    }

    @Test("mountinfo: device numbers, type, source, read-only, escaped paths")
    func mountInfo() throws {
        let info = try MountInfo.parse("36 35 98:0 /mnt1 /mnt/my\\040disk ro,noatime master:1 - ext3 /dev/root rw,errors=continue\n27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n")
        #expect(info.entries[0] == MountInfo.Entry(major: 98, minor: 0, mountPoint: "/mnt/my disk", fileSystemType: "ext3", source: "/dev/root", isReadOnly: true))
        #expect(info.entries[1].isReadOnly == false)
        #expect(throws: ParseError.self) { try MountInfo.parse("36 35 98:0 /mnt1 /mnt rw\n") }
    }

    @Test("CPU lists count ranges and singles")
    func cpuList() throws {
        #expect(try CPUList.count("0-3,6,8-9\n") == 7)
        #expect(try CPUList.count("0\n") == 1)
        #expect(throws: ParseError.self) { try CPUList.count("3-1") }
        #expect(throws: ParseError.self) { try CPUList.count("") }
    }

    @Test("bonding: the bond's own MII status, not a slave's")
    func bonding() throws {
        #expect(try BondingStatus.parse("Bonding Mode: x\nMII Status: down\n\nSlave Interface: a\nMII Status: up\n") == "down")
        #expect(throws: ParseError.self) { try BondingStatus.parse("Slave Interface: a\nMII Status: up\n") }
    }
}

/// The JSON names of Snapshot fields, read back through the encoder (no hand-kept list).
enum CodingKeysProbe {
    /// Every top-level JSON name, from a snapshot with every field set through the seed-shaped decoder.
    static let snapshotKeys: [String] = {
        let data = try! JSONEncoder().encode(filledSnapshot())
        let json = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        return json.keys.sorted()
    }()

    /// The JSON name a key path writes, found by setting it on an empty snapshot.
    static func name(of field: WritableKeyPath<Snapshot, Int64?>) -> String {
        var snapshot = Snapshot(t: 0, v: "")
        snapshot[keyPath: field] = 1
        let json = try! JSONSerialization.jsonObject(with: JSONEncoder().encode(snapshot)) as! [String: Any]
        return json.keys.first { $0.hasPrefix("snmp_") }!
    }

    private static func filledSnapshot() -> Snapshot {
        // Decode from an object offering every documented scalar with a value of its type; nested
        // names that are not top-level fields are ignored by the decoder.
        var object: [String: Any] = [:]
        for (name, type) in documentedScalars() {
            object[name] = type.hasSuffix("string") ? "x" : (type.hasSuffix("boolean") ? true : 1)
        }
        return try! JSONDecoder().decode(Snapshot.self, from: JSONSerialization.data(withJSONObject: object))
    }

    /// (name, type) of the scalar fields listed in the committed seed excerpt.
    private static func documentedScalars() -> [(String, String)] {
        let url = Fixtures.root.appendingPathComponent("seeds/get-snapshot.md")
        let text = try! String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> (String, String)? in
            guard line.hasPrefix("- `"), !line.contains("array of"), let colon = line.firstIndex(of: ":") else { return nil }
            let name = line.dropFirst(3).prefix(while: { $0 != ":" })
            let type = line[line.index(after: colon)...].prefix(while: { $0 != "`" }).trimmingCharacters(in: .whitespaces)
            return (String(name), type)
        }
    }
}
