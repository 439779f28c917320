import ConnectorAPI

/// The snapshot's counters (values that only grow while the machine is up), by field name, for the
/// monotonicity check. Gauges (memory, averages, in-flight I/O, established connections, leases) are not here.
enum SnapshotCounters {
    static func of(_ s: Snapshot) -> [(String, Double?)] {
        var counters: [(String, Double?)] = [
            ("cpu_time_user_ms", s.cpuTimeUserMs.map(Double.init)),
            ("cpu_time_nice_ms", s.cpuTimeNiceMs.map(Double.init)),
            ("cpu_time_system_ms", s.cpuTimeSystemMs.map(Double.init)),
            ("cpu_time_idle_ms", s.cpuTimeIdleMs.map(Double.init)),
            ("cpu_time_iowait_ms", s.cpuTimeIowaitMs.map(Double.init)),
            ("cpu_time_irq_ms", s.cpuTimeIrqMs.map(Double.init)),
            ("cpu_time_softirq_ms", s.cpuTimeSoftirqMs.map(Double.init)),
            ("cpu_time_steal_ms", s.cpuTimeStealMs.map(Double.init)),
            ("uptime_total_ms", s.uptimeTotalMs.map(Double.init)), ("kernel_ctxt", s.kernelCtxt.map(Double.init)),
            ("kernel_processes", s.kernelProcesses.map(Double.init)),
            ("cpu_pressure_total_us", s.cpuPressureTotalUs.map(Double.init)),
            ("memory_pressure_some_total_us", s.memoryPressureSomeTotalUs.map(Double.init)),
            ("memory_pressure_full_total_us", s.memoryPressureFullTotalUs.map(Double.init)),
            ("io_pressure_some_total_us", s.ioPressureSomeTotalUs.map(Double.init)),
            ("io_pressure_full_total_us", s.ioPressureFullTotalUs.map(Double.init)),
            ("snmp_ip_in_receives", s.snmpIpInReceives.map(Double.init)),
            ("snmp_ip_in_delivers", s.snmpIpInDelivers.map(Double.init)),
            ("snmp_ip_forw_datagrams", s.snmpIpForwDatagrams.map(Double.init)),
            ("snmp_ip_out_requests", s.snmpIpOutRequests.map(Double.init)),
            ("snmp_ip_in_discards", s.snmpIpInDiscards.map(Double.init)),
            ("snmp_ip_in_hdr_errors", s.snmpIpInHdrErrors.map(Double.init)),
            ("snmp_tcp_active_opens", s.snmpTcpActiveOpens.map(Double.init)),
            ("snmp_tcp_passive_opens", s.snmpTcpPassiveOpens.map(Double.init)),
            ("snmp_tcp_in_segs", s.snmpTcpInSegs.map(Double.init)),
            ("snmp_tcp_out_segs", s.snmpTcpOutSegs.map(Double.init)),
            ("snmp_tcp_retrans_segs", s.snmpTcpRetransSegs.map(Double.init)),
            ("snmp_tcp_estab_resets", s.snmpTcpEstabResets.map(Double.init)),
            ("snmp_udp_in_datagrams", s.snmpUdpInDatagrams.map(Double.init)),
            ("snmp_udp_out_datagrams", s.snmpUdpOutDatagrams.map(Double.init)),
            ("snmp_icmp_in_msgs", s.snmpIcmpInMsgs.map(Double.init)),
            ("snmp_icmp_out_msgs", s.snmpIcmpOutMsgs.map(Double.init)),
        ]
        for netdev in s.netdevs ?? [] {
            let fields: [(String, UInt64)] = [
                ("recv_bytes", netdev.recvBytes), ("recv_packets", netdev.recvPackets), ("recv_errs", netdev.recvErrs),
                ("recv_drop", netdev.recvDrop), ("recv_frame", netdev.recvFrame),
                ("recv_multicast", netdev.recvMulticast),
                ("sent_bytes", netdev.sentBytes), ("sent_packets", netdev.sentPackets), ("sent_errs", netdev.sentErrs),
                ("sent_drop", netdev.sentDrop), ("sent_carrier", netdev.sentCarrier),
            ]
            counters += fields.map { ("netdevs[\(netdev.name)].\($0.0)", Double($0.1)) }
        }
        for disk in s.disks ?? [] {
            let fields: [(String, UInt64)] = [
                ("reads", disk.reads), ("writes", disk.writes), ("sectors_read", disk.sectorsRead),
                ("sectors_written", disk.sectorsWritten),
                ("time_reading_ms", disk.timeReadingMs), ("time_writing_ms", disk.timeWritingMs),
                ("time_in_progress_ms", disk.timeInProgressMs),
                ("weighted_time_in_progress_ms", disk.weightedTimeInProgressMs),
            ]
            counters += fields.map { ("disks[\(disk.name)].\($0.0)", Double($0.1)) }
        }
        return counters
    }
}
