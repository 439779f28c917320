import ConnectorAPI

/// /proc/diskstats and the mounts' space as a model: I/O follows load (the first disk carries the system, others
/// a tenth), sectors and times follow the operations, the time with I/O in flight never outgrows the wall clock,
/// and file systems fill slowly (logs, caches), quickly in a disk-filling incident, whose space is freed when it
/// ends (the runaway writer is stopped and its files removed).
struct StorageModel: Sendable {
    private(set) var disks: [Snapshot.Disk]
    /// Bytes used beyond the template's by file system (indexed by its first mount), and its fill rate (bytes/s).
    private var grown: [Int: Double] = [:]
    private var incidentBytes: [Int: Double] = [:]
    private let fillPerSecond: Double
    private let template: [Snapshot.Disk]

    init(template snapshot: Snapshot, random: inout SeededGenerator) {
        template = snapshot.disks ?? []
        disks = template.map(Self.zero)
        // 20 MB to 1 GB a day.
        fillPerSecond = random.uniform(2e7...1e9) / 86_400
    }

    mutating func reboot() { disks = template.map(Self.zero) }

    /// `filling`: the file systems of an incident in progress, with the fraction of the incident elapsed.
    mutating func step(
        seconds: Double, busy: Double, shape: ConnectorShape, mounts: [Snapshot.Mount], filling: Double?,
        _ random: inout SeededGenerator
    ) {
        let writable = mounts.indices.filter {
            mounts[$0].isReadOnly != true && mounts[$0].isRemovable != true && mounts[$0].totalBytes != nil
        }
        let systemFileSystem = writable.first.map { shape.fileSystemOfMount[$0] }
        var extraWritten = 0.0
        for fileSystem in Set(writable.map { shape.fileSystemOfMount[$0] }) {
            let share = fileSystem == systemFileSystem ? 1.0 : 0.1
            grown[fileSystem, default: 0] += fillPerSecond * share * seconds
        }
        if let systemFileSystem, let total = mounts[systemFileSystem].totalBytes {
            if let filling {
                // Fills to 99.5 % of the total by the incident's end.
                let available =
                    Double(mounts[systemFileSystem].availableBytes ?? 0) - grown[systemFileSystem, default: 0]
                let target = max(0, available - Double(total) * 0.005) * min(1, filling)
                extraWritten = max(0, target - incidentBytes[systemFileSystem, default: 0])
                incidentBytes[systemFileSystem] = max(target, incidentBytes[systemFileSystem, default: 0])
            } else {
                incidentBytes[systemFileSystem] = nil
            }
        }
        for index in disks.indices {
            let share = index == 0 ? 1.0 : 0.1
            let writes =
                random.poisson((3 + 40 * busy) * share * seconds)
                + UInt64(extraWritten / 262_144 * (index == 0 ? 1 : 0))
            let reads = random.poisson((1 + 10 * busy) * share * seconds)
            let sectorsWritten = writes * 24 + UInt64(index == 0 ? extraWritten / 512 : 0)
            let readTime = reads / 2 + random.poisson(Double(reads) * 0.3)
            let writeTime = writes + random.poisson(Double(writes) * 0.5)
            disks[index].reads += reads
            disks[index].merged += reads / 5
            disks[index].sectorsRead += reads * 16
            disks[index].timeReadingMs += readTime
            disks[index].writes += writes
            disks[index].writesMerged += writes / 3
            disks[index].sectorsWritten += sectorsWritten
            disks[index].timeWritingMs += writeTime
            disks[index].timeInProgressMs += min(UInt64(seconds * 1000), (readTime + writeTime) * 7 / 10)
            disks[index].weightedTimeInProgressMs += readTime + writeTime
            disks[index].inProgress = random.poisson(busy * 0.6 * share)
            if disks[index].flushes != nil {
                let flushes = writes / 8
                disks[index].flushes! += flushes
                disks[index].timeFlushingMs! += flushes / 2
            }
        }
    }

    func fill(_ snapshot: inout Snapshot, shape: ConnectorShape) {
        snapshot.disks = disks
        guard var mounts = snapshot.mounts else { return }
        for index in mounts.indices {
            guard let total = mounts[index].totalBytes, let available = mounts[index].availableBytes else { continue }
            let fileSystem = shape.fileSystemOfMount[index]
            let used = grown[fileSystem, default: 0] + incidentBytes[fileSystem, default: 0]
            mounts[index].availableBytes = min(total, UInt64(max(0, Double(available) - used)))
        }
        snapshot.mounts = mounts
    }

    private static func zero(_ disk: Snapshot.Disk) -> Snapshot.Disk {
        var zero = Snapshot.Disk(
            inProgress: 0, major: disk.major, merged: 0, minor: disk.minor, name: disk.name, reads: 0, sectorsRead: 0,
            sectorsWritten: 0,
            timeInProgressMs: 0, timeReadingMs: 0, timeWritingMs: 0, weightedTimeInProgressMs: 0, writes: 0,
            writesMerged: 0
        )
        if disk.discards != nil {
            (zero.discards, zero.discardsMerged, zero.sectorsDiscarded, zero.timeDiscardingMs) = (0, 0, 0, 0)
        }
        if disk.flushes != nil { (zero.flushes, zero.timeFlushingMs) = (0, 0) }
        return zero
    }
}
