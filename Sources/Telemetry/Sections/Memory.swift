import ConnectorAPI

extension Snapshot {
    /// /proc/meminfo keys and the snapshot fields they fill (bytes, except the HugePages_* counts).
    nonisolated(unsafe) static let memInfoFields: [(key: String, field: WritableKeyPath<Snapshot, UInt64?>)] = [
        ("MemTotal", \.memoryTotalBytes), ("MemFree", \.memoryFreeBytes), ("MemAvailable", \.memoryAvailableBytes),
        ("Buffers", \.memoryBuffersBytes), ("Cached", \.memoryCachedBytes), ("SwapCached", \.memorySwapCachedBytes),
        ("Active", \.memoryActiveBytes), ("Inactive", \.memoryInactiveBytes),
        ("HighTotal", \.memoryHighTotalBytes), ("HighFree", \.memoryHighFreeBytes),
        ("LowTotal", \.memoryLowTotalBytes), ("LowFree", \.memoryLowFreeBytes),
        ("SwapTotal", \.memorySwapTotalBytes), ("SwapFree", \.memorySwapFreeBytes),
        ("Zswap", \.memoryZSwapBytes), ("Zswapped", \.memoryZSwappedBytes),
        ("Dirty", \.memoryDirtyBytes), ("Writeback", \.memoryWritebackBytes),
        ("AnonPages", \.memoryAnonPagesBytes), ("Mapped", \.memoryMappedBytes), ("Shmem", \.memoryShmemBytes),
        ("KReclaimable", \.memoryKReclaimableBytes), ("Slab", \.memorySlabBytes),
        ("SReclaimable", \.memorySReclaimableBytes), ("SUnreclaim", \.memorySUnreclaimBytes),
        ("KernelStack", \.memoryKernelStackBytes), ("PageTables", \.memoryPageTablesBytes),
        ("SecPageTables", \.memorySecondaryPageTablesBytes), ("Bounce", \.memoryBounceBytes),
        ("WritebackTmp", \.memoryWritebackTmpBytes), ("CommitLimit", \.memoryCommitLimitBytes),
        ("Committed_AS", \.memoryCommittedAsBytes), ("VmallocTotal", \.memoryVmallocTotalBytes),
        ("VmallocUsed", \.memoryVmallocUsedBytes), ("VmallocChunk", \.memoryVmallocChunkBytes),
        ("Percpu", \.memoryPerCpuBytes), ("AnonHugePages", \.memoryAnonHugepagesBytes),
        ("ShmemHugePages", \.memoryShmemHugepagesBytes), ("ShmemPmdMapped", \.memoryShmemPmdMappedBytes),
        ("CmaTotal", \.memoryCmaTotalBytes), ("CmaFree", \.memoryCmaFreeBytes),
        ("HugePages_Total", \.memoryHugepagesTotal), ("HugePages_Free", \.memoryHugepagesFree),
        ("HugePages_Rsvd", \.memoryHugepagesRsvd), ("HugePages_Surp", \.memoryHugepagesSurp),
        ("Hugepagesize", \.memoryHugepagesizeBytes),
    ]

    /// Every memory_* field the kernel's /proc/meminfo offers; absent keys stay nil.
    mutating func record(_ info: MemInfo) {
        for (key, field) in Self.memInfoFields {
            self[keyPath: field] = info[key]
        }
    }
}
