import ConnectorAPI
import Prometheus

/// The agent's state as Prometheus metrics: a snapshot under node_exporter's names and labels where the counter is
/// the same one, `vconnector_` names otherwise, plus the agent's own (spool, delivery, check-in, apply, tunnels, HA).
/// A fresh registry per scrape: the snapshot is a point-in-time reading, and an interface that went away must not
/// stay exposed. Label values (interface names, lease hostnames) are data: the library escapes them.
/// The mapping is documented in docs/metrics.md.
public enum SnapshotMetrics {
    public struct Agent: Sendable {
        public var statistics: AgentStatistics
        public var observations: AgentObservations
        public var spoolDepth: Int?
        public var version: String

        public init(statistics: AgentStatistics, observations: AgentObservations, spoolDepth: Int?, version: String) {
            self.statistics = statistics
            self.observations = observations
            self.spoolDepth = spoolDepth
            self.version = version
        }
    }

    public static func exposition(snapshot: Snapshot?, agent: Agent?) -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        var writer = Writer(registry: registry)
        if let snapshot { writer.snapshot(snapshot, counts: agent == nil) }
        if let agent { writer.agent(agent) }
        return registry.emitToBuffer()
    }

    /// Adds metrics to one registry, remembering which families exist so each is created with one label set shape.
    struct Writer {
        let registry: PrometheusCollectorRegistry

        func gauge(_ name: String, _ value: Double?, _ labels: [(String, String)] = [], help: String = "") {
            guard let value, value.isFinite else { return }
            let descriptor = MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
            if labels.isEmpty {
                registry.makeGauge(descriptor: descriptor).set(value)
            } else {
                registry.makeGauge(descriptor: descriptor, labels: labels).set(value)
            }
        }

        func counter<T: BinaryInteger>(_ name: String, _ value: T?, _ labels: [(String, String)] = [], help: String = "") {
            guard let value, value >= 0 else { return }
            let counter = makeCounter(name, labels, help: help)
            counter.increment(by: Int64(clamping: value))
        }

        func counter(_ name: String, seconds: Double?, _ labels: [(String, String)] = [], help: String = "") {
            guard let seconds, seconds.isFinite, seconds >= 0 else { return }
            let counter = makeCounter(name, labels, help: help)
            counter.increment(by: seconds)
        }

        private func makeCounter(_ name: String, _ labels: [(String, String)], help: String) -> Counter {
            let descriptor = MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
            return labels.isEmpty ? registry.makeCounter(descriptor: descriptor) : registry.makeCounter(descriptor: descriptor, labels: labels)
        }

        private static func ms(_ value: UInt64?) -> Double? { value.map { Double($0) / 1000 } }
        private static func us(_ value: UInt64?) -> Double? { value.map { Double($0) / 1_000_000 } }
        private static func double<T: BinaryInteger>(_ value: T?) -> Double? { value.map { Double($0) } }

        mutating func snapshot(_ s: Snapshot, counts: Bool) {
            // /proc/stat: the snapshot holds the aggregate "cpu" line, so cpu="all" (see docs/metrics.md).
            let modes: [(String, UInt64?)] = [
                ("user", s.cpuTimeUserMs), ("nice", s.cpuTimeNiceMs), ("system", s.cpuTimeSystemMs), ("idle", s.cpuTimeIdleMs),
                ("iowait", s.cpuTimeIowaitMs), ("irq", s.cpuTimeIrqMs), ("softirq", s.cpuTimeSoftirqMs), ("steal", s.cpuTimeStealMs),
            ]
            for (mode, value) in modes {
                counter("node_cpu_seconds_total", seconds: Self.ms(value), [("cpu", "all"), ("mode", mode)], help: "Seconds the CPUs spent in each mode.")
            }
            counter("node_cpu_guest_seconds_total", seconds: Self.ms(s.cpuTimeGuestMs), [("cpu", "all"), ("mode", "user")], help: "Seconds the CPUs spent in guests (VMs).")
            counter("node_cpu_guest_seconds_total", seconds: Self.ms(s.cpuTimeGuestNiceMs), [("cpu", "all"), ("mode", "nice")], help: "Seconds the CPUs spent in guests (VMs).")
            gauge("vconnector_cpu_count", Self.double(s.cpuCount), help: "CPUs online.")
            counter("node_context_switches_total", s.kernelCtxt, help: "Total number of context switches.")
            counter("node_forks_total", s.kernelProcesses, help: "Total number of forks.")
            gauge("node_procs_running", Self.double(s.kernelProcessesRunning), help: "Processes in runnable state.")
            gauge("node_procs_blocked", Self.double(s.kernelProcessesBlocked), help: "Processes blocked waiting for I/O.")
            gauge("node_boot_time_seconds", Self.double(s.kernelBtime), help: "Node boot time, in unixtime.")
            gauge("node_load1", s.loadAverage1m, help: "1m load average.")
            gauge("node_load5", s.loadAverage5m, help: "5m load average.")
            gauge("node_load15", s.loadAverage15m, help: "15m load average.")
            gauge("vconnector_uptime_seconds", Self.ms(s.uptimeTotalMs), help: "Seconds since boot (/proc/uptime).")

            let memory: [(String, UInt64?)] = [
                ("MemTotal", s.memoryTotalBytes), ("MemFree", s.memoryFreeBytes), ("MemAvailable", s.memoryAvailableBytes),
                ("Buffers", s.memoryBuffersBytes), ("Cached", s.memoryCachedBytes), ("SwapCached", s.memorySwapCachedBytes),
                ("Active", s.memoryActiveBytes), ("Inactive", s.memoryInactiveBytes), ("SwapTotal", s.memorySwapTotalBytes),
                ("SwapFree", s.memorySwapFreeBytes), ("Dirty", s.memoryDirtyBytes), ("Writeback", s.memoryWritebackBytes),
                ("AnonPages", s.memoryAnonPagesBytes), ("Mapped", s.memoryMappedBytes), ("Shmem", s.memoryShmemBytes),
                ("Slab", s.memorySlabBytes), ("SReclaimable", s.memorySReclaimableBytes), ("SUnreclaim", s.memorySUnreclaimBytes),
                ("KernelStack", s.memoryKernelStackBytes), ("PageTables", s.memoryPageTablesBytes), ("CommitLimit", s.memoryCommitLimitBytes),
                ("Committed_AS", s.memoryCommittedAsBytes), ("VmallocTotal", s.memoryVmallocTotalBytes), ("VmallocUsed", s.memoryVmallocUsedBytes),
                ("AnonHugePages", s.memoryAnonHugepagesBytes), ("Hugepagesize", s.memoryHugepagesizeBytes),
            ]
            for (field, value) in memory {
                gauge("node_memory_\(field)_bytes", Self.double(value), help: "Memory information field \(field)_bytes.")
            }
            gauge("node_memory_HugePages_Total", Self.double(s.memoryHugepagesTotal), help: "Memory information field HugePages_Total.")
            gauge("node_memory_HugePages_Free", Self.double(s.memoryHugepagesFree), help: "Memory information field HugePages_Free.")

            // PSI: node_exporter's pressure collector reads the same `total=` microsecond counters.
            counter("node_pressure_cpu_waiting_seconds_total", seconds: Self.us(s.cpuPressureTotalUs), help: "Total time processes waited for CPU.")
            counter("node_pressure_io_waiting_seconds_total", seconds: Self.us(s.ioPressureSomeTotalUs), help: "Total time some processes waited for IO.")
            counter("node_pressure_io_stalled_seconds_total", seconds: Self.us(s.ioPressureFullTotalUs), help: "Total time all processes stalled on IO.")
            counter("node_pressure_memory_waiting_seconds_total", seconds: Self.us(s.memoryPressureSomeTotalUs), help: "Total time some processes waited for memory.")
            counter("node_pressure_memory_stalled_seconds_total", seconds: Self.us(s.memoryPressureFullTotalUs), help: "Total time all processes stalled on memory.")
            let averages: [(String, String, String, Double?)] = [
                ("cpu", "some", "10", s.cpuPressure10s), ("cpu", "some", "60", s.cpuPressure60s), ("cpu", "some", "300", s.cpuPressure300s),
                ("io", "some", "10", s.ioPressureSome10s), ("io", "some", "60", s.ioPressureSome60s), ("io", "some", "300", s.ioPressureSome300s),
                ("io", "full", "10", s.ioPressureFull10s), ("io", "full", "60", s.ioPressureFull60s), ("io", "full", "300", s.ioPressureFull300s),
                ("memory", "some", "10", s.memoryPressureSome10s), ("memory", "some", "60", s.memoryPressureSome60s),
                ("memory", "some", "300", s.memoryPressureSome300s), ("memory", "full", "10", s.memoryPressureFull10s),
                ("memory", "full", "60", s.memoryPressureFull60s), ("memory", "full", "300", s.memoryPressureFull300s),
            ]
            for (resource, kind, window, value) in averages {
                gauge("vconnector_pressure_average_percent", value, [("resource", resource), ("kind", kind), ("window", window)],
                      help: "PSI running averages (the avg10/avg60/avg300 fields), percent.")
            }

            for netdev in s.netdevs ?? [] {
                let device = [("device", netdev.name)]
                let fields: [(String, UInt64)] = [
                    ("receive_bytes", netdev.recvBytes), ("receive_packets", netdev.recvPackets), ("receive_errs", netdev.recvErrs),
                    ("receive_drop", netdev.recvDrop), ("receive_fifo", netdev.recvFifo), ("receive_frame", netdev.recvFrame),
                    ("receive_compressed", netdev.recvCompressed), ("receive_multicast", netdev.recvMulticast),
                    ("transmit_bytes", netdev.sentBytes), ("transmit_packets", netdev.sentPackets), ("transmit_errs", netdev.sentErrs),
                    ("transmit_drop", netdev.sentDrop), ("transmit_fifo", netdev.sentFifo), ("transmit_colls", netdev.sentColls),
                    ("transmit_carrier", netdev.sentCarrier), ("transmit_compressed", netdev.sentCompressed),
                ]
                for (field, value) in fields {
                    counter("node_network_\(field)_total", value, device, help: "Network device statistic \(field).")
                }
            }
            for interface in s.interfaces ?? [] {
                let device = [("device", interface.name)]
                gauge("node_network_up", interface.operstate == "up" ? 1 : 0, device, help: "Whether the operstate of the interface is up.")
                gauge("node_network_info", 1, [("device", interface.name), ("operstate", interface.operstate)], help: "Interface operstate.")
                // node_exporter reports the speed file (Mbit/s) in bytes per second.
                gauge("node_network_speed_bytes", interface.speed.map { Double($0) * 125_000 }, device, help: "Link speed in bytes per second.")
            }

            for disk in s.disks ?? [] {
                let device = [("device", disk.name)]
                counter("node_disk_reads_completed_total", disk.reads, device, help: "Reads completed successfully.")
                counter("node_disk_reads_merged_total", disk.merged, device, help: "Reads merged.")
                counter("node_disk_read_bytes_total", disk.sectorsRead &* 512, device, help: "Bytes read successfully.")
                counter("node_disk_read_time_seconds_total", seconds: Self.ms(disk.timeReadingMs), device, help: "Seconds spent by all reads.")
                counter("node_disk_writes_completed_total", disk.writes, device, help: "Writes completed successfully.")
                counter("node_disk_writes_merged_total", disk.writesMerged, device, help: "Writes merged.")
                counter("node_disk_written_bytes_total", disk.sectorsWritten &* 512, device, help: "Bytes written successfully.")
                counter("node_disk_write_time_seconds_total", seconds: Self.ms(disk.timeWritingMs), device, help: "Seconds spent by all writes.")
                gauge("node_disk_io_now", Double(disk.inProgress), device, help: "I/Os currently in progress.")
                counter("node_disk_io_time_seconds_total", seconds: Self.ms(disk.timeInProgressMs), device, help: "Seconds spent doing I/Os.")
                counter("node_disk_io_time_weighted_seconds_total", seconds: Self.ms(disk.weightedTimeInProgressMs), device, help: "Weighted seconds spent doing I/Os.")
            }
            for mount in s.mounts ?? [] {
                let labels = [("device", mount.fileSystem), ("mountpoint", mount.mountPoint), ("fstype", mount.kind)]
                gauge("node_filesystem_size_bytes", Self.double(mount.totalBytes), labels, help: "Filesystem size in bytes.")
                gauge("node_filesystem_avail_bytes", Self.double(mount.availableBytes), labels, help: "Filesystem space available to non-root users in bytes.")
                gauge("node_filesystem_readonly", mount.isReadOnly.map { $0 ? 1 : 0 }, labels, help: "Filesystem read-only status.")
            }
            for thermal in s.thermals ?? [] {
                gauge("vconnector_thermal_celsius", thermal.currentCelcius, [("label", thermal.label)], help: "Current temperature of a sensor.")
            }

            let netstat: [(String, Int64?)] = [
                ("Ip_Forwarding", s.snmpIpForwardingEnabled.map { $0 ? 1 : 2 }), ("Ip_InReceives", s.snmpIpInReceives),
                ("Ip_ForwDatagrams", s.snmpIpForwDatagrams), ("Ip_InDiscards", s.snmpIpInDiscards), ("Ip_OutRequests", s.snmpIpOutRequests),
                ("Ip_OutNoRoutes", s.snmpIpOutNoRoutes), ("Icmp_InMsgs", s.snmpIcmpInMsgs), ("Icmp_InErrors", s.snmpIcmpInErrors),
                ("Icmp_OutMsgs", s.snmpIcmpOutMsgs), ("Tcp_ActiveOpens", s.snmpTcpActiveOpens), ("Tcp_PassiveOpens", s.snmpTcpPassiveOpens),
                ("Tcp_CurrEstab", s.snmpTcpCurrEstab), ("Tcp_InErrs", s.snmpTcpInErrs), ("Tcp_InSegs", s.snmpTcpInSegs),
                ("Tcp_OutSegs", s.snmpTcpOutSegs), ("Tcp_RetransSegs", s.snmpTcpRetransSegs), ("Tcp_OutRsts", s.snmpTcpOutRsts),
                ("Udp_InDatagrams", s.snmpUdpInDatagrams), ("Udp_InErrors", s.snmpUdpInErrors), ("Udp_NoPorts", s.snmpUdpNoPorts),
                ("Udp_OutDatagrams", s.snmpUdpOutDatagrams),
            ]
            for (field, value) in netstat {
                gauge("node_netstat_\(field)", Self.double(value), help: "Statistic \(field.replacingOccurrences(of: "_", with: "")).")
            }

            var leasesByInterface: [String: Int] = [:]
            for lease in s.dhcpLeases ?? [] { leasesByInterface[lease.interfaceName, default: 0] += 1 }
            for (interface, count) in leasesByInterface {
                gauge("vconnector_dhcp_leases", Double(count), [("interface", interface)], help: "DHCP leases handed out on a LAN interface.")
            }
            for tunnel in s.tunnels ?? [] {
                let labels = [("tunnel_id", tunnel.tunnelId), ("interface", tunnel.interfaceName)]
                gauge("vconnector_tunnel_health", Double(tunnel.healthValue), labels, help: "Tunnel health value as in the snapshot.")
                gauge("vconnector_tunnel_healthy", tunnel.healthState == "healthy" ? 1 : 0, labels, help: "1 when the tunnel's health state is healthy.")
                gauge("vconnector_tunnel_probed_mtu_bytes", Self.double(tunnel.probedMtu), labels, help: "Path MTU probed through the tunnel.")
            }
            if let state = s.haState {
                gauge("vconnector_ha_state", 1, [("state", state)], help: "HA state of this node (1 for the current state).")
            }
            gauge("vconnector_ha_value", Self.double(s.haValue), help: "HA value as in the snapshot.")
            gauge("vconnector_delta", Self.double(s.delta), help: "The snapshot's delta.")
            gauge("vconnector_epsilon", Self.double(s.epsilon), help: "The snapshot's epsilon.")
            gauge("vconnector_snapshot_timestamp_seconds", s.t, help: "When the exposed snapshot was taken.")
            // The agent's live counters are newer than the snapshot's copy of them.
            guard counts else { return }
            counter("vconnector_transmit_failures_total", s.countTransmitFailures, help: "Failed telemetry transmissions (count_transmit_failures).")
            counter("vconnector_record_failed_total", s.countRecordFailed, help: "Records lost because the spool could not store them.")
            counter("vconnector_reclaimed_records_total", s.countReclaimedPaths, help: "Spooled records reclaimed when the spool was full.")
            counter("vconnector_reclaim_failures_total", s.countReclaimFailures, help: "Failed attempts to reclaim spool space.")
        }

        mutating func agent(_ agent: Agent) {
            let statistics = agent.statistics, seen = agent.observations
            gauge("vconnector_build_info", 1, [("version", agent.version)], help: "The running agent's version.")
            gauge("vconnector_spool_depth", Self.double(agent.spoolDepth), help: "Records waiting in the spool.")
            counter("vconnector_transmit_failures_total", statistics.counters.transmitFailures, help: "Failed telemetry transmissions (count_transmit_failures).")
            counter("vconnector_record_failed_total", statistics.counters.recordFailed, help: "Records lost because the spool could not store them.")
            counter("vconnector_reclaimed_records_total", statistics.counters.reclaimedPaths, help: "Spooled records reclaimed when the spool was full.")
            counter("vconnector_reclaim_failures_total", statistics.counters.reclaimFailures, help: "Failed attempts to reclaim spool space.")
            counter("vconnector_records_recorded_total", statistics.recorded, help: "Records written to the spool.")
            counter("vconnector_records_delivered_total", statistics.delivered, help: "Records the API acknowledged.")
            counter("vconnector_records_rejected_total", statistics.rejected, help: "Records the API refused as invalid.")
            gauge("vconnector_checkin_duration_seconds", seen.lastCheckinSeconds, help: "How long the last check-in took.")
            counter("vconnector_checkins_total", seen.checkins, help: "Check-ins attempted.")
            counter("vconnector_checkin_failures_total", seen.checkinFailures, help: "Check-ins that failed.")
            gauge("vconnector_last_apply_operations", Self.double(seen.lastApplyOperations), help: "Kernel operations the last site apply performed.")
            gauge("vconnector_last_apply_timestamp_seconds", seen.lastApplyTime, help: "When the last site apply finished.")
            counter("vconnector_apply_failures_total", seen.applyFailures, help: "Site applies that failed.")
        }
    }
}
