// The documented snapshot ("Get Snapshot" in the Magic Connectors telemetry reference): every field,
// exact JSON names. Optional fields the host cannot report stay nil and are omitted from the JSON.
// Generated once from the seed and then kept by hand; SnapshotSchemaTests holds it to the seed.

/// One telemetry snapshot of a connector.
public struct Snapshot: Codable, Sendable, Equatable {
    /// Count of failures to reclaim space
    public var countReclaimFailures: UInt64
    /// Count of reclaimed paths
    public var countReclaimedPaths: UInt64
    /// Count of failed snapshot recordings
    public var countRecordFailed: UInt64
    /// Count of failed snapshot transmissions
    public var countTransmitFailures: UInt64
    /// Time the Snapshot was recorded (seconds since the Unix epoch)
    public var t: Double
    /// Version
    public var v: String
    public var bonds: [Bond]? = nil
    /// Count of processors/cores
    public var cpuCount: Int? = nil
    /// Percentage of time over a 10 second window that tasks were stalled
    public var cpuPressure10s: Double? = nil
    /// Percentage of time over a 5 minute window that tasks were stalled
    public var cpuPressure300s: Double? = nil
    /// Percentage of time over a 1 minute window that tasks were stalled
    public var cpuPressure60s: Double? = nil
    /// Total stall time (microseconds)
    public var cpuPressureTotalUs: UInt64? = nil
    /// Time spent running a virtual CPU or guest OS (milliseconds)
    public var cpuTimeGuestMs: UInt64? = nil
    /// Time spent running a niced guest (milliseconds)
    public var cpuTimeGuestNiceMs: UInt64? = nil
    /// Time spent in idle state (milliseconds)
    public var cpuTimeIdleMs: UInt64? = nil
    /// Time spent wait for I/O to complete (milliseconds)
    public var cpuTimeIowaitMs: UInt64? = nil
    /// Time spent servicing interrupts (milliseconds)
    public var cpuTimeIrqMs: UInt64? = nil
    /// Time spent in low-priority user mode (milliseconds)
    public var cpuTimeNiceMs: UInt64? = nil
    /// Time spent servicing softirqs (milliseconds)
    public var cpuTimeSoftirqMs: UInt64? = nil
    /// Time stolen (milliseconds)
    public var cpuTimeStealMs: UInt64? = nil
    /// Time spent in system mode (milliseconds)
    public var cpuTimeSystemMs: UInt64? = nil
    /// Time spent in user mode (milliseconds)
    public var cpuTimeUserMs: UInt64? = nil
    /// Number of network operations applied during state transition
    public var delta: Int? = nil
    public var dhcpLeases: [DHCPLease]? = nil
    public var disks: [Disk]? = nil
    /// Simulated number of network operations applied during state transition
    public var epsilon: Int? = nil
    /// Name of high availability state
    public var haState: String? = nil
    /// Numeric value associated with high availability state (0 = disabled, 1 = active, 2 = standby, 3 = stopped, 4 = fault)
    public var haValue: Int? = nil
    public var interfaces: [Interface]? = nil
    /// Percentage of time over a 10 second window that all tasks were stalled
    public var ioPressureFull10s: Double? = nil
    /// Percentage of time over a 5 minute window that all tasks were stalled
    public var ioPressureFull300s: Double? = nil
    /// Percentage of time over a 1 minute window that all tasks were stalled
    public var ioPressureFull60s: Double? = nil
    /// Total stall time (microseconds)
    public var ioPressureFullTotalUs: UInt64? = nil
    /// Percentage of time over a 10 second window that some tasks were stalled
    public var ioPressureSome10s: Double? = nil
    /// Percentage of time over a 3 minute window that some tasks were stalled
    public var ioPressureSome300s: Double? = nil
    /// Percentage of time over a 1 minute window that some tasks were stalled
    public var ioPressureSome60s: Double? = nil
    /// Total stall time (microseconds)
    public var ioPressureSomeTotalUs: UInt64? = nil
    /// Boot time (seconds since Unix epoch)
    public var kernelBtime: UInt64? = nil
    /// Number of context switches that the system underwent
    public var kernelCtxt: UInt64? = nil
    /// Number of forks since boot
    public var kernelProcesses: UInt64? = nil
    /// Number of processes blocked waiting for I/O
    public var kernelProcessesBlocked: UInt64? = nil
    /// Number of processes in runnable state
    public var kernelProcessesRunning: UInt64? = nil
    /// The fifteen-minute load average
    public var loadAverage15m: Double? = nil
    /// The one-minute load average
    public var loadAverage1m: Double? = nil
    /// The five-minute load average
    public var loadAverage5m: Double? = nil
    /// Number of currently runnable kernel scheduling entities
    public var loadAverageCur: UInt64? = nil
    /// Number of kernel scheduling entities that currently exist on the system
    public var loadAverageMax: UInt64? = nil
    /// Memory that has been used more recently
    public var memoryActiveBytes: UInt64? = nil
    /// Non-file backed huge pages mapped into user-space page tables
    public var memoryAnonHugepagesBytes: UInt64? = nil
    /// Non-file backed pages mapped into user-space page tables
    public var memoryAnonPagesBytes: UInt64? = nil
    /// Estimate of how much memory is available for starting new applications
    public var memoryAvailableBytes: UInt64? = nil
    /// Memory used for block device bounce buffers
    public var memoryBounceBytes: UInt64? = nil
    /// Relatively temporary storage for raw disk blocks
    public var memoryBuffersBytes: UInt64? = nil
    /// In-memory cache for files read from the disk
    public var memoryCachedBytes: UInt64? = nil
    /// Free CMA (Contiguous Memory Allocator) pages
    public var memoryCmaFreeBytes: UInt64? = nil
    /// Total CMA (Contiguous Memory Allocator) pages
    public var memoryCmaTotalBytes: UInt64? = nil
    /// Total amount of memory currently available to be allocated on the system
    public var memoryCommitLimitBytes: UInt64? = nil
    /// Amount of memory presently allocated on the system
    public var memoryCommittedAsBytes: UInt64? = nil
    /// Memory which is waiting to get written back to the disk
    public var memoryDirtyBytes: UInt64? = nil
    /// The sum of LowFree and HighFree
    public var memoryFreeBytes: UInt64? = nil
    /// Amount of free highmem
    public var memoryHighFreeBytes: UInt64? = nil
    /// Total amount of highmem
    public var memoryHighTotalBytes: UInt64? = nil
    /// The number of huge pages in the pool that are not yet allocated
    public var memoryHugepagesFree: UInt64? = nil
    /// Number of huge pages for which a commitment has been made, but no allocation has yet been made
    public var memoryHugepagesRsvd: UInt64? = nil
    /// Number of huge pages in the pool above the threshold
    public var memoryHugepagesSurp: UInt64? = nil
    /// The size of the pool of huge pages
    public var memoryHugepagesTotal: UInt64? = nil
    /// The size of huge pages
    public var memoryHugepagesizeBytes: UInt64? = nil
    /// Memory which has been less recently used
    public var memoryInactiveBytes: UInt64? = nil
    /// Kernel allocations that the kernel will attempt to reclaim under memory pressure
    public var memoryKReclaimableBytes: UInt64? = nil
    /// Amount of memory allocated to kernel stacks
    public var memoryKernelStackBytes: UInt64? = nil
    /// Amount of free lowmem
    public var memoryLowFreeBytes: UInt64? = nil
    /// Total amount of lowmem
    public var memoryLowTotalBytes: UInt64? = nil
    /// Files which have been mapped into memory
    public var memoryMappedBytes: UInt64? = nil
    /// Amount of memory dedicated to the lowest level of page tables
    public var memoryPageTablesBytes: UInt64? = nil
    /// Memory allocated to the per-cpu alloctor used to back per-cpu allocations
    public var memoryPerCpuBytes: UInt64? = nil
    /// Percentage of time over a 10 second window that all tasks were stalled
    public var memoryPressureFull10s: Double? = nil
    /// Percentage of time over a 5 minute window that all tasks were stalled
    public var memoryPressureFull300s: Double? = nil
    /// Percentage of time over a 1 minute window that all tasks were stalled
    public var memoryPressureFull60s: Double? = nil
    /// Total stall time (microseconds)
    public var memoryPressureFullTotalUs: UInt64? = nil
    /// Percentage of time over a 10 second window that some tasks were stalled
    public var memoryPressureSome10s: Double? = nil
    /// Percentage of time over a 5 minute window that some tasks were stalled
    public var memoryPressureSome300s: Double? = nil
    /// Percentage of time over a 1 minute window that some tasks were stalled
    public var memoryPressureSome60s: Double? = nil
    /// Total stall time (microseconds)
    public var memoryPressureSomeTotalUs: UInt64? = nil
    /// Part of slab that can be reclaimed on memory pressure
    public var memorySReclaimableBytes: UInt64? = nil
    /// Part of slab that cannot be reclaimed on memory pressure
    public var memorySUnreclaimBytes: UInt64? = nil
    /// Amount of memory dedicated to the lowest level of page tables
    public var memorySecondaryPageTablesBytes: UInt64? = nil
    /// Amount of memory consumed by tmpfs
    public var memoryShmemBytes: UInt64? = nil
    /// Memory used by shmem and tmpfs, allocated with huge pages
    public var memoryShmemHugepagesBytes: UInt64? = nil
    /// Shared memory mapped into user space with huge pages
    public var memoryShmemPmdMappedBytes: UInt64? = nil
    /// In-kernel data structures cache
    public var memorySlabBytes: UInt64? = nil
    /// Memory swapped out and back in while still in swap file
    public var memorySwapCachedBytes: UInt64? = nil
    /// Amount of swap space that is currently unused
    public var memorySwapFreeBytes: UInt64? = nil
    /// Total amount of swap space available
    public var memorySwapTotalBytes: UInt64? = nil
    /// Total usable RAM
    public var memoryTotalBytes: UInt64? = nil
    /// Largest contiguous block of vmalloc area which is free
    public var memoryVmallocChunkBytes: UInt64? = nil
    /// Total size of vmalloc memory area
    public var memoryVmallocTotalBytes: UInt64? = nil
    /// Amount of vmalloc area which is used
    public var memoryVmallocUsedBytes: UInt64? = nil
    /// Memory which is actively being written back to the disk
    public var memoryWritebackBytes: UInt64? = nil
    /// Memory used by FUSE for temporary writeback buffers
    public var memoryWritebackTmpBytes: UInt64? = nil
    /// Memory consumed by the zswap backend, compressed
    public var memoryZSwapBytes: UInt64? = nil
    /// Amount of anonymous memory stored in zswap, uncompressed
    public var memoryZSwappedBytes: UInt64? = nil
    public var mounts: [Mount]? = nil
    public var netdevs: [Netdev]? = nil
    /// Platform identifier
    public var platform: String? = nil
    /// Number of ICMP Address Mask Reply messages received
    public var snmpIcmpInAddrMaskReps: Int64? = nil
    /// Number of ICMP Address Mask Request messages received
    public var snmpIcmpInAddrMasks: Int64? = nil
    /// Number of ICMP messages received with bad checksums
    public var snmpIcmpInCsumErrors: Int64? = nil
    /// Number of ICMP Destination Unreachable messages received
    public var snmpIcmpInDestUnreachs: Int64? = nil
    /// Number of ICMP Echo Reply messages received
    public var snmpIcmpInEchoReps: Int64? = nil
    /// Number of ICMP Echo (request) messages received
    public var snmpIcmpInEchos: Int64? = nil
    /// Number of ICMP messages received with ICMP-specific errors
    public var snmpIcmpInErrors: Int64? = nil
    /// Number of ICMP messages received
    public var snmpIcmpInMsgs: Int64? = nil
    /// Number of ICMP Parameter Problem messages received
    public var snmpIcmpInParmProbs: Int64? = nil
    /// Number of ICMP Redirect messages received
    public var snmpIcmpInRedirects: Int64? = nil
    /// Number of ICMP Source Quench messages received
    public var snmpIcmpInSrcQuenchs: Int64? = nil
    /// Number of ICMP Time Exceeded messages received
    public var snmpIcmpInTimeExcds: Int64? = nil
    /// Number of ICMP Address Mask Request messages received
    public var snmpIcmpInTimestampReps: Int64? = nil
    /// Number of ICMP Timestamp (request) messages received
    public var snmpIcmpInTimestamps: Int64? = nil
    /// Number of ICMP Address Mask Reply messages sent
    public var snmpIcmpOutAddrMaskReps: Int64? = nil
    /// Number of ICMP Address Mask Request messages sent
    public var snmpIcmpOutAddrMasks: Int64? = nil
    /// Number of ICMP Destination Unreachable messages sent
    public var snmpIcmpOutDestUnreachs: Int64? = nil
    /// Number of ICMP Echo Reply messages sent
    public var snmpIcmpOutEchoReps: Int64? = nil
    /// Number of ICMP Echo (request) messages sent
    public var snmpIcmpOutEchos: Int64? = nil
    /// Number of ICMP messages which this entity did not send due to ICMP-specific errors
    public var snmpIcmpOutErrors: Int64? = nil
    /// Number of ICMP messages attempted to send
    public var snmpIcmpOutMsgs: Int64? = nil
    /// Number of ICMP Parameter Problem messages sent
    public var snmpIcmpOutParmProbs: Int64? = nil
    /// Number of ICMP Redirect messages sent
    public var snmpIcmpOutRedirects: Int64? = nil
    /// Number of ICMP Source Quench messages sent
    public var snmpIcmpOutSrcQuenchs: Int64? = nil
    /// Number of ICMP Time Exceeded messages sent
    public var snmpIcmpOutTimeExcds: Int64? = nil
    /// Number of ICMP Timestamp Reply messages sent
    public var snmpIcmpOutTimestampReps: Int64? = nil
    /// Number of ICMP Timestamp (request) messages sent
    public var snmpIcmpOutTimestamps: Int64? = nil
    /// Default value of the Time-To-Live field of the IP header
    public var snmpIpDefaultTtl: Int64? = nil
    /// Number of datagrams forwarded to their final destination
    public var snmpIpForwDatagrams: Int64? = nil
    /// Set when acting as an IP gateway
    public var snmpIpForwardingEnabled: Bool? = nil
    /// Number of datagrams generated by fragmentation
    public var snmpIpFragCreates: Int64? = nil
    /// Number of datagrams discarded because fragmentation failed
    public var snmpIpFragFails: Int64? = nil
    /// Number of datagrams successfully fragmented
    public var snmpIpFragOks: Int64? = nil
    /// Number of input datagrams discarded due to errors in the IP address
    public var snmpIpInAddrErrors: Int64? = nil
    /// Number of input datagrams successfully delivered to IP user-protocols
    public var snmpIpInDelivers: Int64? = nil
    /// Number of input datagrams otherwise discarded
    public var snmpIpInDiscards: Int64? = nil
    /// Number of input datagrams discarded due to errors in the IP header
    public var snmpIpInHdrErrors: Int64? = nil
    /// Number of input datagrams received from interfaces
    public var snmpIpInReceives: Int64? = nil
    /// Number of input datagrams discarded due unknown or unsupported protocol
    public var snmpIpInUnknownProtos: Int64? = nil
    /// Number of output datagrams otherwise discarded
    public var snmpIpOutDiscards: Int64? = nil
    /// Number of output datagrams discarded because no route matched
    public var snmpIpOutNoRoutes: Int64? = nil
    /// Number of datagrams supplied for transmission
    public var snmpIpOutRequests: Int64? = nil
    /// Number of failures detected by the reassembly algorithm
    public var snmpIpReasmFails: Int64? = nil
    /// Number of datagrams successfully reassembled
    public var snmpIpReasmOks: Int64? = nil
    /// Number of fragments received which needed to be reassembled
    public var snmpIpReasmReqds: Int64? = nil
    /// Number of seconds fragments are held while awaiting reassembly
    public var snmpIpReasmTimeout: Int64? = nil
    /// Number of times TCP transitions to SYN-SENT from CLOSED
    public var snmpTcpActiveOpens: Int64? = nil
    /// Number of times TCP transitions to CLOSED from SYN-SENT or SYN-RCVD, plus transitions to LISTEN from SYN-RCVD
    public var snmpTcpAttemptFails: Int64? = nil
    /// Number of TCP connections in ESTABLISHED or CLOSE-WAIT
    public var snmpTcpCurrEstab: Int64? = nil
    /// Number of times TCP transitions to CLOSED from ESTABLISHED or CLOSE-WAIT
    public var snmpTcpEstabResets: Int64? = nil
    /// Number of TCP segments received with checksum errors
    public var snmpTcpInCsumErrors: Int64? = nil
    /// Number of TCP segments received in error
    public var snmpTcpInErrs: Int64? = nil
    /// Number of TCP segments received
    public var snmpTcpInSegs: Int64? = nil
    /// Limit on the total number of TCP connections
    public var snmpTcpMaxConn: Int64? = nil
    /// Number of TCP segments sent with RST flag
    public var snmpTcpOutRsts: Int64? = nil
    /// Number of TCP segments sent
    public var snmpTcpOutSegs: Int64? = nil
    /// Number of times TCP transitions to SYN-RCVD from LISTEN
    public var snmpTcpPassiveOpens: Int64? = nil
    /// Number of TCP segments retransmitted
    public var snmpTcpRetransSegs: Int64? = nil
    /// Maximum value permitted by a TCP implementation for the retransmission timeout (milliseconds)
    public var snmpTcpRtoMax: Int64? = nil
    /// Minimum value permitted by a TCP implementation for the retransmission timeout (milliseconds)
    public var snmpTcpRtoMin: Int64? = nil
    /// Number of UDP datagrams delivered to UDP applications
    public var snmpUdpInDatagrams: Int64? = nil
    /// Number of UDP datagrams failed to be delivered for reasons other than lack of application at the destination port
    public var snmpUdpInErrors: Int64? = nil
    /// Number of UDP datagrams received for which there was not application at the destination port
    public var snmpUdpNoPorts: Int64? = nil
    /// Number of UDP datagrams sent
    public var snmpUdpOutDatagrams: Int64? = nil
    /// Boottime of the system (seconds since the Unix epoch)
    public var systemBootTimeS: UInt64? = nil
    public var thermals: [Thermal]? = nil
    public var tunnels: [Tunnel]? = nil
    /// Sum of how much time each core has spent idle
    public var uptimeIdleMs: UInt64? = nil
    /// Uptime of the system, including time spent in suspend
    public var uptimeTotalMs: UInt64? = nil

    /// A snapshot recorded at `t` by version `v`; the agent's counters start at zero.
    public init(
        t: Double, v: String,
        countReclaimFailures: UInt64 = 0, countReclaimedPaths: UInt64 = 0,
        countRecordFailed: UInt64 = 0, countTransmitFailures: UInt64 = 0
    ) {
        self.t = t
        self.v = v
        self.countReclaimFailures = countReclaimFailures
        self.countReclaimedPaths = countReclaimedPaths
        self.countRecordFailed = countRecordFailed
        self.countTransmitFailures = countTransmitFailures
    }

    enum CodingKeys: String, CodingKey {
        case countReclaimFailures = "count_reclaim_failures"
        case countReclaimedPaths = "count_reclaimed_paths"
        case countRecordFailed = "count_record_failed"
        case countTransmitFailures = "count_transmit_failures"
        case t = "t"
        case v = "v"
        case bonds = "bonds"
        case cpuCount = "cpu_count"
        case cpuPressure10s = "cpu_pressure_10s"
        case cpuPressure300s = "cpu_pressure_300s"
        case cpuPressure60s = "cpu_pressure_60s"
        case cpuPressureTotalUs = "cpu_pressure_total_us"
        case cpuTimeGuestMs = "cpu_time_guest_ms"
        case cpuTimeGuestNiceMs = "cpu_time_guest_nice_ms"
        case cpuTimeIdleMs = "cpu_time_idle_ms"
        case cpuTimeIowaitMs = "cpu_time_iowait_ms"
        case cpuTimeIrqMs = "cpu_time_irq_ms"
        case cpuTimeNiceMs = "cpu_time_nice_ms"
        case cpuTimeSoftirqMs = "cpu_time_softirq_ms"
        case cpuTimeStealMs = "cpu_time_steal_ms"
        case cpuTimeSystemMs = "cpu_time_system_ms"
        case cpuTimeUserMs = "cpu_time_user_ms"
        case delta = "delta"
        case dhcpLeases = "dhcp_leases"
        case disks = "disks"
        case epsilon = "epsilon"
        case haState = "ha_state"
        case haValue = "ha_value"
        case interfaces = "interfaces"
        case ioPressureFull10s = "io_pressure_full_10s"
        case ioPressureFull300s = "io_pressure_full_300s"
        case ioPressureFull60s = "io_pressure_full_60s"
        case ioPressureFullTotalUs = "io_pressure_full_total_us"
        case ioPressureSome10s = "io_pressure_some_10s"
        case ioPressureSome300s = "io_pressure_some_300s"
        case ioPressureSome60s = "io_pressure_some_60s"
        case ioPressureSomeTotalUs = "io_pressure_some_total_us"
        case kernelBtime = "kernel_btime"
        case kernelCtxt = "kernel_ctxt"
        case kernelProcesses = "kernel_processes"
        case kernelProcessesBlocked = "kernel_processes_blocked"
        case kernelProcessesRunning = "kernel_processes_running"
        case loadAverage15m = "load_average_15m"
        case loadAverage1m = "load_average_1m"
        case loadAverage5m = "load_average_5m"
        case loadAverageCur = "load_average_cur"
        case loadAverageMax = "load_average_max"
        case memoryActiveBytes = "memory_active_bytes"
        case memoryAnonHugepagesBytes = "memory_anon_hugepages_bytes"
        case memoryAnonPagesBytes = "memory_anon_pages_bytes"
        case memoryAvailableBytes = "memory_available_bytes"
        case memoryBounceBytes = "memory_bounce_bytes"
        case memoryBuffersBytes = "memory_buffers_bytes"
        case memoryCachedBytes = "memory_cached_bytes"
        case memoryCmaFreeBytes = "memory_cma_free_bytes"
        case memoryCmaTotalBytes = "memory_cma_total_bytes"
        case memoryCommitLimitBytes = "memory_commit_limit_bytes"
        case memoryCommittedAsBytes = "memory_committed_as_bytes"
        case memoryDirtyBytes = "memory_dirty_bytes"
        case memoryFreeBytes = "memory_free_bytes"
        case memoryHighFreeBytes = "memory_high_free_bytes"
        case memoryHighTotalBytes = "memory_high_total_bytes"
        case memoryHugepagesFree = "memory_hugepages_free"
        case memoryHugepagesRsvd = "memory_hugepages_rsvd"
        case memoryHugepagesSurp = "memory_hugepages_surp"
        case memoryHugepagesTotal = "memory_hugepages_total"
        case memoryHugepagesizeBytes = "memory_hugepagesize_bytes"
        case memoryInactiveBytes = "memory_inactive_bytes"
        case memoryKReclaimableBytes = "memory_k_reclaimable_bytes"
        case memoryKernelStackBytes = "memory_kernel_stack_bytes"
        case memoryLowFreeBytes = "memory_low_free_bytes"
        case memoryLowTotalBytes = "memory_low_total_bytes"
        case memoryMappedBytes = "memory_mapped_bytes"
        case memoryPageTablesBytes = "memory_page_tables_bytes"
        case memoryPerCpuBytes = "memory_per_cpu_bytes"
        case memoryPressureFull10s = "memory_pressure_full_10s"
        case memoryPressureFull300s = "memory_pressure_full_300s"
        case memoryPressureFull60s = "memory_pressure_full_60s"
        case memoryPressureFullTotalUs = "memory_pressure_full_total_us"
        case memoryPressureSome10s = "memory_pressure_some_10s"
        case memoryPressureSome300s = "memory_pressure_some_300s"
        case memoryPressureSome60s = "memory_pressure_some_60s"
        case memoryPressureSomeTotalUs = "memory_pressure_some_total_us"
        case memorySReclaimableBytes = "memory_s_reclaimable_bytes"
        case memorySUnreclaimBytes = "memory_s_unreclaim_bytes"
        case memorySecondaryPageTablesBytes = "memory_secondary_page_tables_bytes"
        case memoryShmemBytes = "memory_shmem_bytes"
        case memoryShmemHugepagesBytes = "memory_shmem_hugepages_bytes"
        case memoryShmemPmdMappedBytes = "memory_shmem_pmd_mapped_bytes"
        case memorySlabBytes = "memory_slab_bytes"
        case memorySwapCachedBytes = "memory_swap_cached_bytes"
        case memorySwapFreeBytes = "memory_swap_free_bytes"
        case memorySwapTotalBytes = "memory_swap_total_bytes"
        case memoryTotalBytes = "memory_total_bytes"
        case memoryVmallocChunkBytes = "memory_vmalloc_chunk_bytes"
        case memoryVmallocTotalBytes = "memory_vmalloc_total_bytes"
        case memoryVmallocUsedBytes = "memory_vmalloc_used_bytes"
        case memoryWritebackBytes = "memory_writeback_bytes"
        case memoryWritebackTmpBytes = "memory_writeback_tmp_bytes"
        case memoryZSwapBytes = "memory_z_swap_bytes"
        case memoryZSwappedBytes = "memory_z_swapped_bytes"
        case mounts = "mounts"
        case netdevs = "netdevs"
        case platform = "platform"
        case snmpIcmpInAddrMaskReps = "snmp_icmp_in_addr_mask_reps"
        case snmpIcmpInAddrMasks = "snmp_icmp_in_addr_masks"
        case snmpIcmpInCsumErrors = "snmp_icmp_in_csum_errors"
        case snmpIcmpInDestUnreachs = "snmp_icmp_in_dest_unreachs"
        case snmpIcmpInEchoReps = "snmp_icmp_in_echo_reps"
        case snmpIcmpInEchos = "snmp_icmp_in_echos"
        case snmpIcmpInErrors = "snmp_icmp_in_errors"
        case snmpIcmpInMsgs = "snmp_icmp_in_msgs"
        case snmpIcmpInParmProbs = "snmp_icmp_in_parm_probs"
        case snmpIcmpInRedirects = "snmp_icmp_in_redirects"
        case snmpIcmpInSrcQuenchs = "snmp_icmp_in_src_quenchs"
        case snmpIcmpInTimeExcds = "snmp_icmp_in_time_excds"
        case snmpIcmpInTimestampReps = "snmp_icmp_in_timestamp_reps"
        case snmpIcmpInTimestamps = "snmp_icmp_in_timestamps"
        case snmpIcmpOutAddrMaskReps = "snmp_icmp_out_addr_mask_reps"
        case snmpIcmpOutAddrMasks = "snmp_icmp_out_addr_masks"
        case snmpIcmpOutDestUnreachs = "snmp_icmp_out_dest_unreachs"
        case snmpIcmpOutEchoReps = "snmp_icmp_out_echo_reps"
        case snmpIcmpOutEchos = "snmp_icmp_out_echos"
        case snmpIcmpOutErrors = "snmp_icmp_out_errors"
        case snmpIcmpOutMsgs = "snmp_icmp_out_msgs"
        case snmpIcmpOutParmProbs = "snmp_icmp_out_parm_probs"
        case snmpIcmpOutRedirects = "snmp_icmp_out_redirects"
        case snmpIcmpOutSrcQuenchs = "snmp_icmp_out_src_quenchs"
        case snmpIcmpOutTimeExcds = "snmp_icmp_out_time_excds"
        case snmpIcmpOutTimestampReps = "snmp_icmp_out_timestamp_reps"
        case snmpIcmpOutTimestamps = "snmp_icmp_out_timestamps"
        case snmpIpDefaultTtl = "snmp_ip_default_ttl"
        case snmpIpForwDatagrams = "snmp_ip_forw_datagrams"
        case snmpIpForwardingEnabled = "snmp_ip_forwarding_enabled"
        case snmpIpFragCreates = "snmp_ip_frag_creates"
        case snmpIpFragFails = "snmp_ip_frag_fails"
        case snmpIpFragOks = "snmp_ip_frag_oks"
        case snmpIpInAddrErrors = "snmp_ip_in_addr_errors"
        case snmpIpInDelivers = "snmp_ip_in_delivers"
        case snmpIpInDiscards = "snmp_ip_in_discards"
        case snmpIpInHdrErrors = "snmp_ip_in_hdr_errors"
        case snmpIpInReceives = "snmp_ip_in_receives"
        case snmpIpInUnknownProtos = "snmp_ip_in_unknown_protos"
        case snmpIpOutDiscards = "snmp_ip_out_discards"
        case snmpIpOutNoRoutes = "snmp_ip_out_no_routes"
        case snmpIpOutRequests = "snmp_ip_out_requests"
        case snmpIpReasmFails = "snmp_ip_reasm_fails"
        case snmpIpReasmOks = "snmp_ip_reasm_oks"
        case snmpIpReasmReqds = "snmp_ip_reasm_reqds"
        case snmpIpReasmTimeout = "snmp_ip_reasm_timeout"
        case snmpTcpActiveOpens = "snmp_tcp_active_opens"
        case snmpTcpAttemptFails = "snmp_tcp_attempt_fails"
        case snmpTcpCurrEstab = "snmp_tcp_curr_estab"
        case snmpTcpEstabResets = "snmp_tcp_estab_resets"
        case snmpTcpInCsumErrors = "snmp_tcp_in_csum_errors"
        case snmpTcpInErrs = "snmp_tcp_in_errs"
        case snmpTcpInSegs = "snmp_tcp_in_segs"
        case snmpTcpMaxConn = "snmp_tcp_max_conn"
        case snmpTcpOutRsts = "snmp_tcp_out_rsts"
        case snmpTcpOutSegs = "snmp_tcp_out_segs"
        case snmpTcpPassiveOpens = "snmp_tcp_passive_opens"
        case snmpTcpRetransSegs = "snmp_tcp_retrans_segs"
        case snmpTcpRtoMax = "snmp_tcp_rto_max"
        case snmpTcpRtoMin = "snmp_tcp_rto_min"
        case snmpUdpInDatagrams = "snmp_udp_in_datagrams"
        case snmpUdpInErrors = "snmp_udp_in_errors"
        case snmpUdpNoPorts = "snmp_udp_no_ports"
        case snmpUdpOutDatagrams = "snmp_udp_out_datagrams"
        case systemBootTimeS = "system_boot_time_s"
        case thermals = "thermals"
        case tunnels = "tunnels"
        case uptimeIdleMs = "uptime_idle_ms"
        case uptimeTotalMs = "uptime_total_ms"
    }
}
