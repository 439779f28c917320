import ConnectorAPI
import Foundation
import Logging
import Synchronization

/// The health checks of the site's IPsec tunnels, as Magic WAN runs them: at each tunnel's `health_check.rate`
/// (high 1 s, mid 3 s, low 10 s) an ICMP echo goes through the tunnel to the edge's side of its interface address.
/// The outcomes are recorded (`TunnelHealth`); a tunnel whose last two probes were lost is down and the site is
/// re-applied without its routes (traffic moves to the next tunnel by its WAN's priority); two answers bring it
/// back. The path MTU through each tunnel is probed with Don't-Fragment echoes when it comes up and every 10
/// minutes after. Both probe types (`request`, `reply`) are sent as echo requests from the connector's side.
public final class TunnelHealthMonitor: Sendable {
    /// Smallest and largest IP packet sizes the path-MTU search tries.
    static let mtuRange = 576...1500
    static let mtuInterval: Duration = .seconds(600)

    private let reconciler: SiteReconciler
    private let config: SiteConfig
    private let logger: Logger
    private let onTransition: @Sendable (String, Bool) -> Void
    private let loop = MonitorThread(name: "tunnel-health")

    /// Starts probing `config`'s tunnels (an applied site) on a thread of its own. `onTransition(link, healthy)`.
    public init(reconciler: SiteReconciler, config: SiteConfig, logger: Logger, onTransition: @escaping @Sendable (String, Bool) -> Void = { _, _ in }) {
        self.reconciler = reconciler
        self.config = config
        self.logger = logger
        self.onTransition = onTransition
        loop.start { [self] in run() }
    }

    /// Stops the monitor and waits for its thread. Idempotent.
    public func stop() { loop.stop() }

    private struct Watched {
        let link: String
        let edge: IPv4Address
        let interval: Duration
        var next: ContinuousClock.Instant
        var nextMTU: ContinuousClock.Instant
    }

    private func run() {
        let names = reconciler.names(for: config)
        var health = TunnelHealth.read(names)
        var watched: [Watched] = []
        for (index, tunnel) in config.ipsecTunnels.enumerated() where tunnel.healthCheck?.enabled != false {
            guard let sides = TunnelAddressing(tunnel.interfaceAddress) else { continue }
            let link = SiteNames.tunnelLink(index)
            watched.append(Watched(link: link, edge: sides.cloudflare, interval: WANHealthMonitor.interval(for: tunnel.healthCheck?.rate),
                                   next: .now, nextMTU: .now))
            var entry = health.tunnels[link] ?? TunnelHealth.Entry()
            entry.name = tunnel.name
            entry.tunnelId = tunnel.id
            health.tunnels[link] = entry
        }
        guard !watched.isEmpty else { return }
        var pinger: GatewayPinger?
        while !isStopping {
            if pinger == nil {
                pinger = try? GatewayPinger(namespace: names.connector)
                pinger?.forbidFragmentation()
            }
            let now = ContinuousClock.now
            for index in watched.indices where watched[index].next <= now {
                watched[index].next = now + watched[index].interval
                guard let pinger else { continue }
                let item = watched[index]
                var entry = health.tunnels[item.link] ?? TunnelHealth.Entry()
                entry.results = Array((entry.results + [pinger.ping(item.edge, timeout: min(item.interval, .seconds(1)))]).suffix(TunnelHealth.window))
                let lastTwo = entry.results.suffix(WANHealthMonitor.threshold)
                let wasDown = entry.down
                if !wasDown, lastTwo.count == WANHealthMonitor.threshold, lastTwo.allSatisfy({ !$0 }) { entry.down = true }
                if wasDown, lastTwo.count == WANHealthMonitor.threshold, lastTwo.allSatisfy({ $0 }) { entry.down = false }
                if entry.results.last == true, item.nextMTU <= now {
                    entry.probedMTU = probeMTU(pinger, item.edge)
                    watched[index].nextMTU = now + Self.mtuInterval
                }
                health.tunnels[item.link] = entry
                do { try health.write(names) } catch { logger.error("tunnel health not recorded: \(error)") }
                if entry.down != wasDown { change(item.link, healthy: !entry.down, names: names) }
            }
            let next = watched.map(\.next).min() ?? (.now + .seconds(1))
            loop.pause(next - .now)
        }
    }

    private var isStopping: Bool { loop.isStopping }

    /// The largest packet that crosses the tunnel with Don't Fragment: a binary search over `mtuRange`.
    private func probeMTU(_ pinger: GatewayPinger, _ edge: IPv4Address) -> Int? {
        var low = Self.mtuRange.lowerBound, high = Self.mtuRange.upperBound
        guard pinger.ping(edge, timeout: .milliseconds(300), size: low) else { return nil }
        while low < high {
            let middle = (low + high + 1) / 2
            if pinger.ping(edge, timeout: .milliseconds(300), size: middle) { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// Re-applies the site so the routes follow the tunnel's new health (the record is already written); in a lab,
    /// the edge's routes to the site follow too, first, so that when the connector's routes have moved the way
    /// back has already.
    private func change(_ link: String, healthy: Bool, names: SiteNames) {
        do {
            try LabEdge(stateRoot: reconciler.stateRoot).route(config, names: names, down: TunnelHealth.down(names))
            let report = try reconciler.apply(config, dhcpWait: .zero)
            logger.notice("tunnel \(link) is \(healthy ? "up again" : "down"): \(report.operations.count) operations", metadata: ["site": "\(names.key)"])
            onTransition(link, healthy)
        } catch {
            logger.error("tunnel \(link) health change not applied: \(error)", metadata: ["site": "\(names.key)"])
        }
    }
}
