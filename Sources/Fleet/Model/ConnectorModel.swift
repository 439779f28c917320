import ConnectorAPI
import Foundation

/// One virtual connector's telemetry: its shape (fixed) and the state that moves (counters, averages, caches,
/// leases). `snapshot(at:)` advances the state to `t` and returns the snapshot a real agent would have recorded
/// then; the invariants it keeps are listed in docs/fleet.md and checked by `FleetChecker`.
struct ConnectorModel: Sendable {
    let shape: ConnectorShape
    private(set) var bootTime: Double
    private var random: SeededGenerator
    private var uptimeMilliseconds: UInt64 = 0
    private var lastT: Double
    private var cpu = CPUTimes()
    private var memory: MemoryModel
    private var network: NetworkModel
    private var storage: StorageModel
    private var leases: DHCPLeases
    private let tunnels: TunnelModel
    private var cpuPressure = PressureStall(), memorySome = PressureStall(), memoryFull = PressureStall()
    private var ioSome = PressureStall(), ioFull = PressureStall()
    private var load = (one: 0.0, five: 0.0, fifteen: 0.0)
    private var contextSwitches = 0.0
    private var forks: UInt64 = 0
    /// The CPUs' busy fraction at the last step (the gauges of the snapshot follow it).
    private var busy = 0.0
    private var highestCelcius: [String: Double] = [:]
    private var busyWander = Wander(correlationSeconds: 900, spread: 0.05)
    private var trafficWander = Wander(correlationSeconds: 1800, spread: 0.25)
    private let windows: [IncidentWindow]
    private var flapsApplied: Set<Int> = []

    init(shape: ConnectorShape, random: SeededGenerator, start: Double, windows: [IncidentWindow], seed: UInt64) {
        self.shape = shape
        tunnels = TunnelModel(shape: shape, seed: seed)
        self.random = random
        self.windows = windows
        // Up for an hour to two months when the fleet starts; the kernel's boot time is a whole second.
        bootTime = (start - self.random.uniform(3600...5_184_000)).rounded(.down)
        lastT = bootTime
        let template = shape.profile.template
        memory = MemoryModel(
            total: shape.memoryTotal, swapTotal: template.memorySwapTotalBytes ?? 0, random: &self.random)
        network = NetworkModel(shape: shape)
        storage = StorageModel(template: template, random: &self.random)
        leases = DHCPLeases(shape: shape, random: &self.random)
    }

    /// The machine restarts at `bootTime`: every counter starts again from zero, the page cache is cold, the
    /// highest temperatures are forgotten. The DHCP leases survive (the server's lease file is on disk).
    mutating func reboot(bootTime: Double) {
        self.bootTime = bootTime.rounded(.down)
        lastT = self.bootTime
        uptimeMilliseconds = 0
        cpu = CPUTimes()
        memory.reboot()
        network.reboot()
        storage.reboot()
        (cpuPressure, memorySome, memoryFull, ioSome, ioFull) = (
            PressureStall(), PressureStall(), PressureStall(), PressureStall(), PressureStall()
        )
        load = (0, 0, 0)
        contextSwitches = 0
        forks = 0
        highestCelcius = [:]
    }

    /// The snapshot at `t` (after the last one), with `version` and the agent's transmit failures.
    mutating func snapshot(at t: Double, version: String, transmitFailures: UInt64 = 0) -> Snapshot {
        advance(to: t)
        var snapshot = shape.profile.template
        snapshot.t = t
        snapshot.v = version
        snapshot.countTransmitFailures = transmitFailures
        snapshot.cpuCount = shape.cpuCount
        snapshot.kernelBtime.replace(with: UInt64(bootTime))
        snapshot.systemBootTimeS.replace(with: UInt64(bootTime))
        snapshot.uptimeTotalMs.replace(with: uptimeMilliseconds)
        cpu.fill(&snapshot)
        memory.fill(&snapshot, cpus: shape.cpuCount)
        network.fill(&snapshot, shape: shape)
        storage.fill(&snapshot, shape: shape)
        leases.fill(&snapshot)
        tunnels.fill(&snapshot, at: t, bootTime: bootTime, windows: windows)
        fillKernel(&snapshot)
        fillPressure(&snapshot)
        fillThermals(&snapshot)
        return snapshot
    }

    private mutating func advance(to t: Double) {
        let seconds = max(0, t - lastT)
        lastT = t
        let uptime = UInt64(max(0, (t - bootTime) * 1000))
        let elapsed = uptime > uptimeMilliseconds ? uptime - uptimeMilliseconds : 0
        uptimeMilliseconds = max(uptime, uptimeMilliseconds)

        let level = shape.rhythm.level(at: t)
        let saturated = windows.contains { $0.kind == .cpuSaturation && $0.contains(t) }
        var busy = shape.quietLoad + (shape.peakLoad - shape.quietLoad) * level + busyWander.step(seconds, &random)
        busy = saturated ? random.uniform(0.96...0.995) : min(max(busy, 0.01), 0.95)
        memory.pressure =
            windows.lazy.compactMap { $0.kind == .memoryPressure ? $0.progress(at: t) : nil }.first.map {
                min(1, $0 / 0.2)
            } ?? 0
        let filling = windows.lazy.compactMap { $0.kind == .diskFill ? $0.progress(at: t) : nil }.first
        applyFlaps(until: t)

        let cpuStall = 100 * pow(max(0, busy - 0.55), 2) * 1.8 + (saturated ? random.uniform(15...30) : 0)
        let memoryStall = memory.pressure * random.uniform(35...60)
        let ioStall = 0.3 + 3 * busy + 0.5 * memoryStall + (filling == nil ? 0 : random.uniform(4...10))
        cpuPressure.stall(percent: cpuStall, seconds: seconds)
        memorySome.stall(percent: memoryStall, seconds: seconds)
        memoryFull.stall(percent: memoryStall * 0.4, seconds: seconds)
        ioSome.stall(percent: ioStall, seconds: seconds)
        ioFull.stall(percent: ioStall * 0.45, seconds: seconds)

        cpu.spend(
            milliseconds: elapsed, cpus: shape.cpuCount, busy: busy, iowaitFraction: ioStall / 100 * 0.1,
            stealFraction: shape.stealFraction)
        memory.step(seconds: seconds, busy: busy)
        let traffic = exp(trafficWander.step(seconds, &random))
        network.step(
            seconds: seconds, level: min(1, level * traffic), wanPeak: shape.peakWANBytesPerSecond, busy: busy,
            congested: saturated, &random
        )
        storage.step(
            seconds: seconds, busy: busy, shape: shape, mounts: shape.profile.template.mounts ?? [], filling: filling,
            &random)
        leases.step(at: t, seconds: seconds, level: level, &random)

        let cpus = Double(shape.cpuCount)
        // The kernel's load averages: exponential averages of runnable plus uninterruptible tasks.
        let runnable = busy * cpus + ioStall / 100 * cpus + (saturated ? cpus * random.uniform(0.5...2) : 0)
        func decay(_ value: Double, _ window: Double) -> Double {
            let keep = exp(-seconds / window)
            return value * keep + runnable * (1 - keep)
        }
        load = (decay(load.one, 60), decay(load.five, 300), decay(load.fifteen, 900))
        contextSwitches += (400 + 6000 * busy) * cpus * seconds
        forks += random.poisson((0.5 + 5 * busy) * seconds)
        self.busy = busy
    }

    /// Link flaps: down when a window opens (with the error jumps), up when it closes, both even between snapshots.
    private mutating func applyFlaps(until t: Double) {
        for (index, window) in windows.enumerated() where window.kind == .linkFlap && window.start <= t {
            let name = window.interface ?? shape.nic(.wan)?.name ?? ""
            if !flapsApplied.contains(index) {
                flapsApplied.insert(index)
                network.linkDown(name, &random)
            }
            if t >= window.end { network.linkUp(name) }
        }
    }

    private mutating func fillKernel(_ snapshot: inout Snapshot) {
        let cpus = Double(shape.cpuCount)
        let running = UInt64(max(1, (busy * cpus).rounded()))
        snapshot.kernelCtxt.replace(with: UInt64(contextSwitches))
        snapshot.kernelProcesses.replace(with: forks)
        snapshot.kernelProcessesRunning.replace(with: running)
        snapshot.kernelProcessesBlocked.replace(with: random.poisson(ioSome.avg10 / 100 * cpus))
        snapshot.loadAverageCur.replace(with: running)
        snapshot.loadAverageMax.replace(with: 120 + 25 * UInt64(shape.cpuCount) + random.poisson(20 * busy))
        snapshot.loadAverage1m.replace(with: PressureStall.printed(load.one))
        snapshot.loadAverage5m.replace(with: PressureStall.printed(load.five))
        snapshot.loadAverage15m.replace(with: PressureStall.printed(load.fifteen))
    }

    private func fillPressure(_ snapshot: inout Snapshot) {
        func put(
            _ stall: PressureStall, _ ten: WritableKeyPath<Snapshot, Double?>,
            _ sixty: WritableKeyPath<Snapshot, Double?>,
            _ threeHundred: WritableKeyPath<Snapshot, Double?>, _ total: WritableKeyPath<Snapshot, UInt64?>
        ) {
            snapshot[keyPath: ten].replace(with: PressureStall.printed(stall.avg10))
            snapshot[keyPath: sixty].replace(with: PressureStall.printed(stall.avg60))
            snapshot[keyPath: threeHundred].replace(with: PressureStall.printed(stall.avg300))
            snapshot[keyPath: total].replace(with: stall.totalMicroseconds)
        }
        put(cpuPressure, \.cpuPressure10s, \.cpuPressure60s, \.cpuPressure300s, \.cpuPressureTotalUs)
        put(
            memorySome, \.memoryPressureSome10s, \.memoryPressureSome60s, \.memoryPressureSome300s,
            \.memoryPressureSomeTotalUs)
        put(
            memoryFull, \.memoryPressureFull10s, \.memoryPressureFull60s, \.memoryPressureFull300s,
            \.memoryPressureFullTotalUs)
        put(ioSome, \.ioPressureSome10s, \.ioPressureSome60s, \.ioPressureSome300s, \.ioPressureSomeTotalUs)
        put(ioFull, \.ioPressureFull10s, \.ioPressureFull60s, \.ioPressureFull300s, \.ioPressureFullTotalUs)
    }

    /// Sensors warm with load around their template reading; `max_celcius` is the highest since boot.
    private mutating func fillThermals(_ snapshot: inout Snapshot) {
        guard let thermals = snapshot.thermals else { return }
        snapshot.thermals = thermals.map { sensor in
            var sensor = sensor
            guard let base = sensor.currentCelcius else { return sensor }
            let current = ((base - 5 + 25 * busy + random.gaussian()) * 10).rounded() / 10
            let highest = max(highestCelcius[sensor.label] ?? current, current)
            highestCelcius[sensor.label] = highest
            sensor.currentCelcius = current
            sensor.maxCelcius.replace(with: highest)
            return sensor
        }
    }
}
