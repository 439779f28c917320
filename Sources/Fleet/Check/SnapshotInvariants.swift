import ConnectorAPI

/// The invariants of snapshots: within one (sums and identities) and between two of a connector (order,
/// counters, PSI, version and boot changes explained by events). docs/fleet.md lists them with their reasons.
enum SnapshotInvariants {
    typealias Fail = (Double, String, String) -> Void
    typealias Tolerance = FleetChecker.Tolerance

    static func check(_ s: Snapshot, fail: Fail) {
        let t = s.t
        if let uptime = s.uptimeTotalMs, let cpus = s.cpuCount, let sum = cpuSum(s) {
            let expected = Double(uptime) * Double(cpus)
            let slack = Tolerance.cpuSumSlackMs * Double(cpus)
            if Double(sum) < expected * Tolerance.cpuSumLow - slack
                || Double(sum) > expected * Tolerance.cpuSumHigh + slack
            {
                fail(
                    t, "cpu_time_*_ms",
                    "the CPU times sum to \(sum) ms, not about uptime_total_ms x cpu_count = \(UInt64(expected)) ms (\(Tolerance.cpuSumLow)...\(Tolerance.cpuSumHigh))"
                )
            }
        }
        if let boot = s.kernelBtime, let uptime = s.uptimeTotalMs,
            abs(Double(boot) + Double(uptime) / 1000 - t) > Tolerance.clock
        {
            fail(
                t, "kernel_btime",
                "boot time \(boot) + uptime \(uptime / 1000) s is not t (off by \(Int(Double(boot) + Double(uptime) / 1000 - t)) s)"
            )
        }
        checkMemory(s, fail: fail)
        checkPressureWithin(s, fail: fail)
        for mount in s.mounts ?? [] {
            if let total = mount.totalBytes, let available = mount.availableBytes, available > total {
                fail(t, "mounts[\(mount.mountPoint)].available_bytes", "\(available) is more than total_bytes \(total)")
            }
        }
        var addresses = Set<String>(), macs = Set<String>()
        for lease in s.dhcpLeases ?? [] {
            if !addresses.insert(lease.ipAddress).inserted {
                fail(t, "dhcp_leases[\(lease.ipAddress)]", "the address is leased twice")
            }
            if !macs.insert(lease.macAddress).inserted {
                fail(t, "dhcp_leases[\(lease.macAddress)]", "the MAC holds two leases")
            }
            if Double(lease.expiryTime) < t - Tolerance.expiredLease {
                fail(
                    t, "dhcp_leases[\(lease.ipAddress)].expiry_time",
                    "expired at \(lease.expiryTime), \(Int(t) - Int(lease.expiryTime)) s before t")
            }
        }
        checkTunnels(s, fail: fail)
        for thermal in s.thermals ?? [] {
            if let current = thermal.currentCelcius, let highest = thermal.maxCelcius, highest < current {
                fail(t, "thermals[\(thermal.label)].max_celcius", "\(highest) is below the current \(current)")
            }
        }
    }

    /// A tunnel's state agrees with its value and with the probes it counts (the agent's rule: see TunnelModel).
    private static func checkTunnels(_ s: Snapshot, fail: Fail) {
        var links = Set<String>(), ids = Set<String>()
        for tunnel in s.tunnels ?? [] {
            let field = "tunnels[\(tunnel.interfaceName)]"
            if !links.insert(tunnel.interfaceName).inserted { fail(s.t, field, "the interface has two entries") }
            if !ids.insert(tunnel.tunnelId).inserted { fail(s.t, field + ".tunnel_id", "\(tunnel.tunnelId) is in two entries") }
            guard TunnelModel.states.indices.contains(tunnel.healthValue) else {
                fail(s.t, field + ".health_value", "\(tunnel.healthValue) is not 0 (unknown) to 3 (down)")
                continue
            }
            if tunnel.healthState != TunnelModel.states[tunnel.healthValue] {
                fail(s.t, field + ".health_state", "'\(tunnel.healthState)' with health_value \(tunnel.healthValue) (\(TunnelModel.states[tunnel.healthValue]))")
            }
            let (healthy, unhealthy) = (tunnel.recentHealthyPings ?? 0, tunnel.recentUnhealthyPings ?? 0)
            if healthy < 0 || unhealthy < 0 || healthy + unhealthy > TunnelModel.window {
                fail(s.t, field + ".recent_*_pings", "\(healthy) healthy + \(unhealthy) unhealthy is not 0 to \(TunnelModel.window) probes")
            }
            let agrees: Bool
            switch tunnel.healthValue {
            case 0: agrees = healthy + unhealthy == 0
            case 1: agrees = healthy > 0 && unhealthy == 0
            case 2: agrees = unhealthy > 0 && healthy > 0
            default: agrees = unhealthy >= TunnelModel.threshold
            }
            if !agrees {
                fail(s.t, field + ".health_state", "\(tunnel.healthState) with \(healthy) healthy and \(unhealthy) unhealthy recent probes")
            }
            if let mtu = tunnel.probedMtu, !(576...9000).contains(mtu) {
                fail(s.t, field + ".probed_mtu", "\(mtu) is not an IPv4 path MTU (576 to 9000)")
            }
        }
    }

    /// The ten /proc/stat times without guest and guest_nice (they are counted inside user and nice).
    static func cpuSum(_ s: Snapshot) -> UInt64? {
        let parts = [
            s.cpuTimeUserMs, s.cpuTimeNiceMs, s.cpuTimeSystemMs, s.cpuTimeIdleMs, s.cpuTimeIowaitMs, s.cpuTimeIrqMs,
            s.cpuTimeSoftirqMs, s.cpuTimeStealMs,
        ]
        guard parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.reduce(0) { $0 + ($1 ?? 0) }
    }

    private static func checkMemory(_ s: Snapshot, fail: Fail) {
        let t = s.t
        guard let total = s.memoryTotalBytes else { return }
        func atMost(_ field: String, _ value: UInt64?, _ limit: UInt64?, _ limitName: String) {
            if let value, let limit, value > limit { fail(t, field, "\(value) is more than \(limitName) \(limit)") }
        }
        atMost("memory_free_bytes", s.memoryFreeBytes, total, "memory_total_bytes")
        atMost("memory_available_bytes", s.memoryAvailableBytes, total, "memory_total_bytes")
        atMost("memory_swap_free_bytes", s.memorySwapFreeBytes, s.memorySwapTotalBytes, "memory_swap_total_bytes")
        atMost("memory_hugepages_free", s.memoryHugepagesFree, s.memoryHugepagesTotal, "memory_hugepages_total")
        if let slab = s.memorySlabBytes, let reclaimable = s.memorySReclaimableBytes,
            let unreclaimable = s.memorySUnreclaimBytes,
            slab != reclaimable + unreclaimable
        {
            fail(t, "memory_slab_bytes", "\(slab) is not s_reclaimable + s_unreclaim = \(reclaimable + unreclaimable)")
        }
        let parts: [UInt64?] = [
            s.memoryFreeBytes, s.memoryBuffersBytes, s.memoryCachedBytes, s.memoryAnonPagesBytes, s.memorySlabBytes,
            s.memoryPageTablesBytes, s.memoryKernelStackBytes,
        ]
        let used = parts.reduce(0) { $0 + ($1 ?? 0) }
        if Double(used) > Double(total) * Tolerance.memory {
            fail(
                t, "memory_*_bytes",
                "free + buffers + cached + anon + slab + page tables + kernel stacks = \(used) is more than memory_total_bytes \(total)"
            )
        }
        if let active = s.memoryActiveBytes, let inactive = s.memoryInactiveBytes,
            Double(active + inactive) > Double(total) * Tolerance.memory
        {
            fail(
                t, "memory_active_bytes",
                "active + inactive = \(active + inactive) is more than memory_total_bytes \(total)")
        }
    }

    private static func checkPressureWithin(_ s: Snapshot, fail: Fail) {
        let t = s.t
        let averages: [(String, Double?)] = [
            ("cpu_pressure_10s", s.cpuPressure10s), ("cpu_pressure_60s", s.cpuPressure60s),
            ("cpu_pressure_300s", s.cpuPressure300s),
            ("memory_pressure_some_10s", s.memoryPressureSome10s),
            ("memory_pressure_full_10s", s.memoryPressureFull10s),
            ("io_pressure_some_10s", s.ioPressureSome10s), ("io_pressure_full_10s", s.ioPressureFull10s),
        ]
        for case let (field, value?) in averages where !(0...100).contains(value) {
            fail(t, field, "\(value) is not a percentage")
        }
        let pairs: [(String, Double?, Double?)] = [
            ("memory_pressure_full_10s", s.memoryPressureFull10s, s.memoryPressureSome10s),
            ("memory_pressure_full_300s", s.memoryPressureFull300s, s.memoryPressureSome300s),
            ("io_pressure_full_10s", s.ioPressureFull10s, s.ioPressureSome10s),
            ("io_pressure_full_300s", s.ioPressureFull300s, s.ioPressureSome300s),
            (
                "memory_pressure_full_total_us", s.memoryPressureFullTotalUs.map(Double.init),
                s.memoryPressureSomeTotalUs.map(Double.init)
            ),
            (
                "io_pressure_full_total_us", s.ioPressureFullTotalUs.map(Double.init),
                s.ioPressureSomeTotalUs.map(Double.init)
            ),
        ]
        for case let (field, full?, some?) in pairs where full > some + Tolerance.pressure {
            fail(t, field, "full (\(full)) is more than some (\(some)): all tasks stalled is a part of some stalled")
        }
    }

    /// Between two consecutive snapshots of a connector.
    static func check(from a: Snapshot, to b: Snapshot, events: [RecordedEvent], fail: Fail) {
        let t = b.t
        guard b.t > a.t else {
            fail(t, "t", "not after the previous snapshot's t \(FleetChecker.timeText(a.t))")
            return
        }
        let between = events.filter { $0.t > a.t && $0.t <= b.t }
        let bootA = a.kernelBtime ?? a.systemBootTimeS, bootB = b.kernelBtime ?? b.systemBootTimeS
        let rebooted = bootA != nil && bootB != nil && abs(Double(bootA!) - Double(bootB!)) > Tolerance.reboot
        if rebooted, !events.isEmpty, !between.contains(where: { $0.e == .`init` }) {
            fail(t, "kernel_btime", "the boot time changed (\(bootA!) to \(bootB!)) without an Init event in between")
        }
        if a.v != b.v, !events.isEmpty, !between.contains(where: { $0.e == .finishUpgradeSuccess || $0.e == .`init` }) {
            fail(t, "v", "the version changed (\(a.v) to \(b.v)) without FinishUpgradeSuccess or Init in between")
        }
        guard !rebooted else { return }
        let before = Dictionary(
            SnapshotCounters.of(a).compactMap { name, value in value.map { (name, $0) } },
            uniquingKeysWith: { first, _ in first })
        for case let (name, value?) in SnapshotCounters.of(b) {
            if let old = before[name], value < old {
                fail(t, name, "went down from \(UInt64(old)) to \(UInt64(value)) without a reboot")
            }
        }
        let seconds = b.t - a.t
        for (disk, old) in zip(b.disks ?? [], a.disks ?? [])
        where disk.name == old.name && disk.timeInProgressMs > old.timeInProgressMs {
            let grew = Double(disk.timeInProgressMs - old.timeInProgressMs)
            if grew > seconds * 1000 * 1.01 + 100 {
                fail(
                    t, "disks[\(disk.name)].time_in_progress_ms",
                    "grew by \(UInt64(grew)) ms in \(Int(seconds * 1000)) ms of wall time")
            }
        }
        checkPressureBetween(a, b, seconds: seconds, fail: fail)
    }

    /// A PSI total grows by at most the elapsed time, and grows when the 10 s average shows stalls at both ends.
    private static func checkPressureBetween(_ a: Snapshot, _ b: Snapshot, seconds: Double, fail: Fail) {
        let lines: [(String, UInt64?, UInt64?, Double?, Double?)] = [
            ("cpu_pressure_total_us", a.cpuPressureTotalUs, b.cpuPressureTotalUs, a.cpuPressure10s, b.cpuPressure10s),
            (
                "memory_pressure_some_total_us", a.memoryPressureSomeTotalUs, b.memoryPressureSomeTotalUs,
                a.memoryPressureSome10s, b.memoryPressureSome10s
            ),
            (
                "io_pressure_some_total_us", a.ioPressureSomeTotalUs, b.ioPressureSomeTotalUs, a.ioPressureSome10s,
                b.ioPressureSome10s
            ),
        ]
        for case let (field, old?, new?, averageBefore?, averageAfter?) in lines where new >= old {
            let stalled = Double(new - old) / 1e6
            if stalled > seconds * 1.01 + 0.1 {
                fail(b.t, field, "grew by \(stalled) s of stall in \(seconds) s")
            }
            if seconds <= 60, averageBefore > 5, averageAfter > 5, new == old {
                fail(b.t, field, "did not grow while the 10 s average was \(averageBefore) then \(averageAfter) %")
            }
        }
    }
}
