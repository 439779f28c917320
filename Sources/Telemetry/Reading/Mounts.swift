import ConnectorAPI
#if canImport(Glibc)
import Glibc
#endif

/// Size and free space of a mounted filesystem, in bytes.
public struct FileSystemSpace: Sendable, Equatable {
    public var totalBytes: UInt64
    public var availableBytes: UInt64

    public init(totalBytes: UInt64, availableBytes: UInt64) {
        self.totalBytes = totalBytes
        self.availableBytes = availableBytes
    }

    /// statvfs(3) of a mount point: blocks are counted in f_frsize units (not f_bsize).
    public static func measure(_ mountPoint: String) -> FileSystemSpace? {
        var stats = statvfs()
        guard statvfs(mountPoint, &stats) == 0 else { return nil }
        let unit = UInt64(stats.f_frsize)
        return FileSystemSpace(totalBytes: UInt64(stats.f_blocks) * unit, availableBytes: UInt64(stats.f_bavail) * unit)
    }

    /// The space table a fixture tree keeps beside /proc and /sys (`statvfs.tsv`: "mount point<TAB>total
    /// bytes<TAB>available bytes" per line), for a collector reading a tree that is not this host; nil if malformed.
    public static func table(tsv text: String) -> [String: FileSystemSpace]? {
        var table: [String: FileSystemSpace] = [:]
        for line in text.split(separator: "\n") {
            let columns = line.split(separator: "\t")
            guard columns.count == 3, let total = UInt64(columns[1]), let available = UInt64(columns[2]) else { return nil }
            table[String(columns[0])] = FileSystemSpace(totalBytes: total, availableBytes: available)
        }
        return table
    }
}

/// Builds `mounts[]` from mountinfo, skipping pseudo filesystems, with the disk kind and removability
/// from sysfs. Names follow Rust's sysinfo crate: `name` is the device, `file_system` the fs type.
final class MountReader {
    /// Filesystems with no disk behind them (and tmpfs, as sysinfo does by default).
    static let pseudoFileSystems: Set<String> = [
        "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "devtmpfs",
        "efivarfs", "fusectl", "fuse.lxcfs", "hugetlbfs", "mqueue", "nsfs", "proc", "pstore", "ramfs",
        "rootfs", "rpc_pipefs", "securityfs", "selinuxfs", "squashfs", "sysfs", "tmpfs", "tracefs", "nfsd",
    ]

    /// Mount points under these trees are the kernel's own, not storage.
    static func isSystemPath(_ mountPoint: String) -> Bool {
        for root in ["/proc", "/sys", "/dev"] where mountPoint == root || mountPoint.hasPrefix(root + "/") { return true }
        return (mountPoint == "/run" || mountPoint.hasPrefix("/run/")) && !mountPoint.hasPrefix("/run/media/")
    }

    let files: KernelFiles
    let space: (String) -> FileSystemSpace?
    /// The disk directory behind each block device number: devices keep their number while they exist.
    private var diskDirectories: [Int: String?] = [:]

    init(files: KernelFiles, space: @escaping (String) -> FileSystemSpace?) {
        self.files = files
        self.space = space
    }

    func mounts(from info: MountInfo) -> [Snapshot.Mount] {
        var seen = Set<String>()
        var mounts: [Snapshot.Mount] = []
        for entry in info.entries {
            if Self.pseudoFileSystems.contains(entry.fileSystemType) || Self.isSystemPath(entry.mountPoint) { continue }
            // A mount point mounted over keeps only its top mount; report each point once.
            guard seen.insert(entry.mountPoint).inserted else { continue }
            var mount = Snapshot.Mount(fileSystem: entry.fileSystemType, kind: "Unknown", mountPoint: entry.mountPoint, name: entry.source)
            mount.isReadOnly = entry.isReadOnly
            if let disk = diskDirectory(major: entry.major, minor: entry.minor) {
                switch try? files.string(disk + "/queue/rotational") {
                case "1": mount.kind = "HDD"
                case "0": mount.kind = "SSD"
                default: break
                }
                if let removable = try? files.string(disk + "/removable") { mount.isRemovable = removable == "1" }
            }
            if let space = space(entry.mountPoint) {
                mount.totalBytes = space.totalBytes
                mount.availableBytes = space.availableBytes
            }
            mounts.append(mount)
        }
        return mounts
    }

    /// The sysfs directory of the whole disk behind a block device number (a partition's parent).
    private func diskDirectory(major: Int, minor: Int) -> String? {
        guard major != 0 else { return nil }
        let key = major << 20 | minor
        if let known = diskDirectories[key] { return known }
        let device = files.sys("dev/block/\(major):\(minor)")
        let directory = files.exists(device) ? (files.exists(device + "/partition") ? device + "/.." : device) : nil
        diskDirectories[key] = directory
        return directory
    }
}
