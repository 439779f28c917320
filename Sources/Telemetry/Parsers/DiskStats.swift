import ConnectorAPI

/// /proc/diskstats: "major minor name" then 11 (kernel < 4.18), 15 (4.18+: discards) or
/// 17 (5.5+: flushes) counters. Fields a kernel does not have stay nil.
public enum DiskStats {
    /// Devices left out, as node_exporter does by default: RAM and loop devices, floppies and
    /// partitions (their I/O is already counted on the whole disk).
    public static func isIgnored(_ name: String) -> Bool {
        var base = Substring(name)
        for prefix in ["zram", "ram", "loop", "fd"] where base.hasPrefix(prefix) {
            base = base.dropFirst(prefix.count)
            return !base.isEmpty && base.allSatisfy(\.isNumber)
        }
        // sda1, vdb2, xvda3, hda1: a letter-named disk followed by a partition number.
        for prefix in ["xvd", "hd", "sd", "vd"] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            let letters = rest.prefix(while: { $0.isLetter })
            let digits = rest.dropFirst(letters.count)
            return !letters.isEmpty && !digits.isEmpty && digits.allSatisfy(\.isNumber)
        }
        // nvme0n1p1
        if name.hasPrefix("nvme"), let p = name.lastIndex(of: "p"), name[name.index(after: p)...].allSatisfy(\.isNumber),
           name.index(after: p) < name.endIndex, name.contains("n") {
            return true
        }
        return false
    }

    public static func parse(_ text: String) throws -> [Snapshot.Disk] { try text.withTextBytes(parse(bytes:)) }

    public static func parse(bytes: TextBytes) throws -> [Snapshot.Disk] {
        var disks: [Snapshot.Disk] = []
        for line in LineIterator(bytes) where !line.isEmpty {
            var reader = FieldReader(line)
            let fields = reader.remaining()
            // 7 fields: a partition line of 2.6.x kernels, with no whole-disk counters.
            if fields.count == 7 { continue }
            guard fields.count == 14 || fields.count == 18 || fields.count == 20 else {
                throw ParseError("line '\(line.string)' has \(fields.count) fields, expected 14, 18 or 20")
            }
            let name = fields[2].string
            if isIgnored(name) { continue }
            var numbers: [UInt64] = []
            numbers.reserveCapacity(fields.count)
            for (index, field) in fields.enumerated() where index != 2 {
                guard let value = Numbers.uint64(field) else { throw ParseError("\(name): '\(field.string)' is not a number") }
                numbers.append(value)
            }
            // numbers: major, minor, then the counters in kernel order.
            let counter = { (i: Int) in numbers[i + 1] }
            var disk = Snapshot.Disk(
                inProgress: counter(9), major: Int(numbers[0]), merged: counter(2), minor: Int(numbers[1]), name: name,
                reads: counter(1), sectorsRead: counter(3), sectorsWritten: counter(7),
                timeInProgressMs: counter(10), timeReadingMs: counter(4), timeWritingMs: counter(8),
                weightedTimeInProgressMs: counter(11), writes: counter(5), writesMerged: counter(6)
            )
            if fields.count >= 18 {
                disk.discards = counter(12)
                disk.discardsMerged = counter(13)
                disk.sectorsDiscarded = counter(14)
                disk.timeDiscardingMs = counter(15)
            }
            if fields.count >= 20 {
                disk.flushes = counter(16)
                disk.timeFlushingMs = counter(17)
            }
            disks.append(disk)
        }
        return disks
    }
}
