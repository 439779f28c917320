import ConnectorAPI
import Foundation
import Logging

/// What a collector reads and from where.
public struct CollectorOptions: Sendable {
    /// Root of the proc tree (a fixture tree in tests).
    public var procRoot = "/proc"
    /// Root of the sys tree.
    public var sysRoot = "/sys"
    /// Report the network of this namespace (`ip netns` name or path) instead of the host's.
    public var networkNamespace: String?
    /// Read `interfaces[]` over netlink. Off for fixture trees, which have no netlink.
    public var readsNetlink = true
    /// Size and free space of a mount point; statvfs(3) by default, a table in tests.
    public var mountSpace: @Sendable (String) -> FileSystemSpace? = { FileSystemSpace.measure($0) }
    /// The version `v` reported in snapshots (changes after an upgrade).
    public var version = VConnectorVersion.current
    /// The recording time `t` of a snapshot.
    public var clock: @Sendable () -> Double = { Date().timeIntervalSince1970 }

    public init() {}
}

/// The agent's own counters, reported in every snapshot.
public struct AgentCounters: Sendable, Equatable {
    public var transmitFailures: UInt64 = 0
    public var recordFailed: UInt64 = 0
    public var reclaimedPaths: UInt64 = 0
    public var reclaimFailures: UInt64 = 0

    public init() {}
}

/// A section of the snapshot that was dropped or cut short, and why.
public struct CollectionWarning: Sendable, Equatable, CustomStringConvertible {
    public let section: String
    public let message: String

    public var description: String { "\(section): \(message)" }
}

/// Collects snapshots of this host. A malformed or unreadable source drops only its own section,
/// with a warning; a source the kernel does not have leaves its fields out. Keep one collector and
/// call `collect` repeatedly: it reuses its buffers and remembers the highest temperatures seen.
public final class SnapshotCollector {
    private let options: CollectorOptions
    private let files: KernelFiles
    private let network: NetworkSource
    private let logger: Logger
    private var highestCelcius: [String: Double] = [:]
    private let mountReader: MountReader
    /// The platform never changes while we run: read once (a /proc/sys read costs a 64 KiB kernel buffer).
    private var cachedPlatform: String?

    public init(options: CollectorOptions = CollectorOptions(), logger: Logger = Logger(label: "vconnector.telemetry")) throws {
        self.options = options
        self.logger = logger
        files = KernelFiles(procRoot: options.procRoot, sysRoot: options.sysRoot)
        mountReader = MountReader(files: files, space: options.mountSpace)
        network = try NetworkSource(files: files, namespace: options.networkNamespace, readsNetlink: options.readsNetlink)
    }

    /// One snapshot, plus the warnings for the sections that had to be dropped.
    public func collect(counters: AgentCounters = AgentCounters()) -> (snapshot: Snapshot, warnings: [CollectionWarning]) {
        var warnings: [CollectionWarning] = []
        var snapshot = Snapshot(
            t: options.clock(), v: options.version,
            countReclaimFailures: counters.reclaimFailures, countReclaimedPaths: counters.reclaimedPaths,
            countRecordFailed: counters.recordFailed, countTransmitFailures: counters.transmitFailures
        )

        /// Runs one section; a missing optional source is silent, anything else becomes a warning.
        func section(_ name: String, optional: Bool = false, _ body: () throws -> Void) {
            do {
                try body()
            } catch let error as FileReadError where optional && error.isMissing {
                logger.debug("section \(name) not offered by this kernel: \(error)")
            } catch {
                warnings.append(CollectionWarning(section: name, message: "\(error)"))
            }
        }

        section("stat") { snapshot.record(try files.withContents(of: files.proc("stat"), ProcStat.parse(bytes:))) }
        section("loadavg") { snapshot.record(try files.withContents(of: files.proc("loadavg"), LoadAverage.parse(bytes:))) }
        section("uptime") { snapshot.record(try files.withContents(of: files.proc("uptime"), Uptime.parse(bytes:))) }
        section("meminfo") { snapshot.record(try files.withContents(of: files.proc("meminfo"), MemInfo.parse(bytes:))) }
        for resource in PressureResource.allCases {
            section("pressure/\(resource.rawValue)", optional: true) {
                snapshot.record(try files.withContents(of: files.proc("pressure/\(resource.rawValue)"), Pressure.parse(bytes:)), for: resource)
            }
        }
        section("diskstats") { snapshot.disks = try files.withContents(of: files.proc("diskstats"), DiskStats.parse(bytes:)) }
        section("cpu_count") { snapshot.cpuCount = try CPUList.count(try files.string(files.sys("devices/system/cpu/online"))) }
        section("platform") { snapshot.platform = try platform() }
        section("mounts") {
            let info = try files.withContents(of: files.proc("self/mountinfo"), MountInfo.parse(bytes:))
            snapshot.mounts = mountReader.mounts(from: info)
        }
        section("thermals") {
            let (sensors, failures) = ThermalReader(files: files).thermals()
            for failure in failures { warnings.append(CollectionWarning(section: "thermals", message: "sensor skipped: \(failure)")) }
            snapshot.thermals = sensors.isEmpty ? nil : sensors.map(rememberHighest)
        }

        section("network") {
            try network.perform {
                let procNet = network.procNet
                section("net/dev") { snapshot.netdevs = try files.withContents(of: procNet + "/dev", NetDev.parse(bytes:)) }
                section("net/snmp") { snapshot.record(try files.withContents(of: procNet + "/snmp", NetSNMP.parse(bytes:))) }
                section("bonds", optional: true) { snapshot.bonds = try bonds(in: procNet + "/bonding") }
            }
            section("interfaces") { snapshot.interfaces = try network.interfaces() }
        }

        for warning in warnings {
            logger.warning("snapshot section \(warning.section): \(warning.message)")
        }
        return (snapshot, warnings)
    }

    /// "<ostype>-<arch>", e.g. "linux-x86_64". /proc/sys/kernel/arch exists since 5.x; older
    /// kernels get the architecture this binary was built for.
    private func platform() throws -> String {
        if let cachedPlatform { return cachedPlatform }
        let system = try files.string(files.proc("sys/kernel/ostype")).lowercased()
        let architecture = (try? files.string(files.proc("sys/kernel/arch"))) ?? Self.builtArchitecture
        cachedPlatform = "\(system)-\(architecture)"
        return cachedPlatform!
    }

    private static var builtArchitecture: String {
        #if arch(x86_64)
        "x86_64"
        #elseif arch(arm64)
        "aarch64"
        #else
        "unknown"
        #endif
    }

    /// Bonding masters from /proc/net/bonding (follows the namespace); absent without the bonding driver.
    private func bonds(in directory: String) throws -> [Snapshot.Bond]? {
        guard files.exists(directory) else { throw FileReadError(path: directory, code: ENOENT) }
        let names = files.entries(of: directory)
        guard !names.isEmpty else { return nil }
        return try names.map { Snapshot.Bond(name: $0, status: try BondingStatus.parse(try files.string(directory + "/" + $0))) }
    }

    /// max_celcius is the highest temperature seen: the chip's own record or what this collector saw.
    private func rememberHighest(_ sensor: Snapshot.Thermal) -> Snapshot.Thermal {
        var sensor = sensor
        let highest = [sensor.maxCelcius, sensor.currentCelcius, highestCelcius[sensor.label]].compactMap { $0 }.max()
        sensor.maxCelcius = highest
        highestCelcius[sensor.label] = highest
        return sensor
    }
}
