import ConnectorAPI

/// /proc/meminfo as a model. Parts are fractions of MemTotal that move with load, page cache that fills with
/// uptime, and pressure that grows anonymous memory; MemFree is what they leave, so
/// free + buffers + cached + anon + slab + page tables + kernel stacks never exceeds MemTotal, and the kernel's
/// identities hold: Slab = SReclaimable + SUnreclaim, Active + Inactive = anon + file pages, Available <= Total.
struct MemoryModel: Sendable {
    let total: Double
    let swapTotal: Double
    /// Anonymous memory at rest, as a fraction of MemTotal.
    let anonBase: Double
    /// The page cache's share, growing with uptime towards `cacheCeiling`.
    var cache: Double
    let cacheCeiling: Double
    /// 0 normally, up to 1 in a memory-pressure incident (anonymous memory crowds the cache out).
    var pressure = 0.0
    var swapUsed = 0.0
    /// The CPUs' busy fraction at the last step (anonymous memory and dirty pages follow it).
    private var busy = 0.0

    init(total: UInt64, swapTotal: UInt64, random: inout SeededGenerator) {
        self.total = Double(total)
        self.swapTotal = Double(swapTotal)
        anonBase = random.uniform(0.08...0.25)
        cacheCeiling = random.uniform(0.3...0.55)
        cache = 0.05
    }

    /// A cold page cache after a boot.
    mutating func reboot() {
        cache = 0.05
        swapUsed = 0
    }

    mutating func step(seconds: Double, busy: Double) {
        // The cache fills over about two days of uptime; pressure drains it.
        cache = min(cacheCeiling, cache + seconds / 172_800 * cacheCeiling)
        if pressure > 0 {
            cache = max(0.02, cache - pressure * seconds / 600)
            swapUsed = min(swapTotal, swapUsed + pressure * swapTotal * seconds / 1800)
        }
        self.busy = busy
    }

    func fill(_ snapshot: inout Snapshot, cpus: Int) {
        let page = 4096.0
        func bytes(_ value: Double) -> UInt64 { UInt64(max(0, value) / page) * 4096 }
        let reserved = total * 0.015
        let kernelStack = Double(cpus) * 2_000_000 + 4_000_000
        let perCPU = Double(cpus) * 400_000
        let anon = total * (anonBase + 0.08 * busy + pressure * (0.9 - anonBase))
        let pageTables = anon / 250
        let sUnreclaim = total * 0.01
        var sReclaimable = total * (0.01 + 0.05 * cache)
        let buffers = total * 0.008
        let shmem = total * 0.004
        // The cache breathes with activity: busy hours evict a little of it.
        var cached = total * cache * (1 - 0.04 * busy) + shmem
        let used = reserved + kernelStack + perCPU + anon + pageTables + sUnreclaim + buffers
        // Reclaim: the cache, then reclaimable slab, give way before free memory falls under 1 %.
        var free = total - used - cached - sReclaimable
        let minimum = total * 0.01
        if free < minimum {
            let fromCache = min(minimum - free, cached - shmem - total * 0.005)
            cached -= max(0, fromCache)
            free += max(0, fromCache)
        }
        if free < minimum {
            let fromSlab = min(minimum - free, sReclaimable * 0.8)
            sReclaimable -= fromSlab
            free += fromSlab
        }
        free = max(free, total * 0.002)
        let available = min(total - used, max(0, free - total * 0.005 + (cached - shmem) + buffers + sReclaimable / 2))
        let file = cached + buffers
        let dirty = (1 + 20 * busy) * 1_000_000

        snapshot.memoryTotalBytes.replace(with: bytes(total))
        snapshot.memoryFreeBytes.replace(with: bytes(free))
        snapshot.memoryAvailableBytes.replace(with: bytes(available))
        snapshot.memoryBuffersBytes.replace(with: bytes(buffers))
        snapshot.memoryCachedBytes.replace(with: bytes(cached))
        snapshot.memoryShmemBytes.replace(with: bytes(shmem))
        snapshot.memoryAnonPagesBytes.replace(with: bytes(anon))
        snapshot.memoryActiveBytes.replace(with: bytes(anon * 0.7 + file * 0.4))
        snapshot.memoryInactiveBytes.replace(with: bytes(anon * 0.3 + file * 0.6))
        snapshot.memoryMappedBytes.replace(with: bytes(cached * 0.15))
        snapshot.memoryDirtyBytes.replace(with: bytes(dirty))
        snapshot.memoryWritebackBytes.replace(with: bytes(dirty * 0.02 * busy))
        snapshot.memoryPageTablesBytes.replace(with: bytes(pageTables))
        snapshot.memoryKernelStackBytes.replace(with: bytes(kernelStack))
        snapshot.memoryPerCpuBytes.replace(with: bytes(perCPU))
        snapshot.memorySlabBytes.replace(with: bytes(sReclaimable) + bytes(sUnreclaim))
        snapshot.memorySReclaimableBytes.replace(with: bytes(sReclaimable))
        snapshot.memorySUnreclaimBytes.replace(with: bytes(sUnreclaim))
        snapshot.memoryKReclaimableBytes.replace(with: bytes(sReclaimable))
        snapshot.memoryCommittedAsBytes.replace(with: bytes(anon * 1.6 + total * 0.05))
        snapshot.memoryCommitLimitBytes.replace(with: bytes(total / 2 + swapTotal))
        snapshot.memorySwapTotalBytes.replace(with: bytes(swapTotal))
        snapshot.memorySwapFreeBytes.replace(with: bytes(swapTotal - swapUsed))
        snapshot.memorySwapCachedBytes.replace(with: bytes(swapUsed * 0.05))
    }
}
