import ConnectorAPI
import Foundation
import Logging
import Netlink
import Synchronization

/// The connector's WAN health: each WAN's gateway is pinged from the connector namespace at the WAN's
/// `health_check_rate`; a WAN whose gateway misses two probes in a row is down, and the site is re-applied
/// without its default route (traffic moves to the next WAN by priority, or stays on the remaining ECMP members);
/// two answered probes in a row bring it back. The down WANs are kept in `<state>/wan-health.json`, an input of
/// the desired state like the DHCP leases, so every apply (the agent's, an operator's) agrees with the monitor.
/// When every WAN is down, none is withdrawn (there is nowhere better to send traffic).
public final class WANHealthMonitor: Sendable {
    /// Seconds between probes for a `health_check_rate` (the API's `low`, `mid` (default), `high`).
    public static func interval(for rate: String?) -> Duration {
        switch rate {
        case "high": .seconds(1)
        case "low": .seconds(10)
        default: .seconds(3)
        }
    }

    /// Probes in a row that must fail (or succeed) before a WAN is taken down (or back up).
    public static let threshold = 2

    /// A change of a WAN's health, as the monitor applied it.
    public struct Transition: Sendable, CustomStringConvertible {
        public var link: String
        public var name: String?
        public var healthy: Bool
        public var operations: [Operation]
        public var description: String {
            "WAN \(name.map { "\(TextRules.printable($0)) " } ?? "")(\(link)) is \(healthy ? "up again" : "down"): "
                + "\(operations.count) operation\(operations.count == 1 ? "" : "s")"
        }
    }

    private let reconciler: SiteReconciler
    private let config: SiteConfig
    /// The HA node this connector is (its namespace, its state, only its apply); nil for a single connector.
    private let node: HANode?
    private let logger: Logger
    private let onTransition: @Sendable (Transition) -> Void
    private let loop = MonitorThread(name: "wan-health")

    /// Starts monitoring `config`'s WANs (an applied site) on a thread of its own.
    public init(
        reconciler: SiteReconciler, config: SiteConfig, node: HANode? = nil, logger: Logger, onTransition: @escaping @Sendable (Transition) -> Void = { _ in }
    ) {
        self.reconciler = reconciler
        self.config = config
        self.node = node
        self.logger = logger
        self.onTransition = onTransition
        loop.start { [self] in run() }
    }

    /// Stops the monitor and waits for its thread (at most one probe, 1 s). Idempotent.
    public func stop() { loop.stop() }

    /// One WAN being watched.
    private struct Watched {
        let wan: WAN
        let link: String
        let interval: Duration
        var next: ContinuousClock.Instant
        var misses = 0
        var answers = 0
        var down: Bool
    }

    private func run() {
        let names = reconciler.names(for: config, node: node)
        guard config.wans.count > 1 else { return }  // one WAN: nothing to fail over to
        let initiallyDown = reconciler.downWANs(names)
        var watched = config.wans.map { wan in
            let link = SiteNames.link(of: wan)
            return Watched(wan: wan, link: link, interval: Self.interval(for: wan.healthCheckRate), next: .now, down: initiallyDown.contains(link))
        }
        var pinger: GatewayPinger?
        while !isStopping {
            if pinger == nil { pinger = try? GatewayPinger(namespace: names.connector) }
            let now = ContinuousClock.now
            for index in watched.indices where watched[index].next <= now {
                watched[index].next = now + watched[index].interval
                guard let pinger, let gateway = gateway(of: watched[index].wan, names: names) else { continue }
                let answered = pinger.ping(gateway, timeout: min(watched[index].interval, .seconds(1)))
                if answered {
                    watched[index].answers += 1
                    watched[index].misses = 0
                } else {
                    watched[index].misses += 1
                    watched[index].answers = 0
                }
                let entry = watched[index]
                if !entry.down, entry.misses >= Self.threshold {
                    watched[index].down = true
                    change(entry, healthy: false, watched: watched, names: names)
                } else if entry.down, entry.answers >= Self.threshold {
                    watched[index].down = false
                    change(entry, healthy: true, watched: watched, names: names)
                }
            }
            // Sleep until the next probe is due (one wake-up per probe), or until stopped.
            let next = watched.map(\.next).min() ?? (.now + .seconds(1))
            loop.pause(next - .now)
        }
    }

    private var isStopping: Bool { loop.isStopping }

    /// Records the new set of down WANs and re-applies the site, so the routes follow.
    private func change(_ entry: Watched, healthy: Bool, watched: [Watched], names: SiteNames) {
        let down = Set(watched.filter(\.down).map(\.link))
        do {
            try reconciler.recordDownWANs(down, names)
            let report = try reconciler.apply(config, dhcpWait: .zero, node: node)
            let transition = Transition(link: entry.link, name: entry.wan.name, healthy: healthy, operations: report.operations)
            logger.notice("\(transition)", metadata: ["site": "\(names.key)"])
            onTransition(transition)
        } catch {
            logger.error("WAN \(entry.link) health change not applied: \(error)", metadata: ["site": "\(names.key)"])
        }
    }

    /// The gateway a WAN's health is probed at: its static gateway, or its DHCP lease's router.
    private func gateway(of wan: WAN, names: SiteNames) -> IPv4Address? {
        if let gateway = wan.staticAddressing?.gatewayAddress?.value { return gateway }
        return reconciler.leases(names)[SiteNames.link(of: wan)]?.router.flatMap(IPv4Address.init)
    }
}

/// ICMP echo from inside a namespace: a raw socket created on a thread in the namespace, used from here.
package final class GatewayPinger {
    private let descriptor: Int32
    private var sequence: UInt16 = 0
    private let identifier = UInt16.random(in: 1...UInt16.max)

    package init(namespace: String) throws {
        descriptor = try ICMPEcho.socket(in: namespace)
    }

    deinit { close(descriptor) }

    /// Sends every echo with Don't Fragment, whatever the route's cached path MTU (path-MTU probes).
    package func forbidFragmentation() {
        var probe = Int32(IP_PMTUDISC_PROBE)
        setsockopt(descriptor, Int32(IPPROTO_IP), IP_MTU_DISCOVER, &probe, socklen_t(MemoryLayout<Int32>.size))
    }

    /// True when `address` answered an echo within `timeout`. `size`: the IP packet's size (header included).
    package func ping(_ address: IPv4Address, timeout: Duration, size: Int = 44) -> Bool {
        sequence &+= 1
        guard ICMPEcho.send(descriptor, to: address, identifier: identifier, sequence: sequence, payload: size - 28) else { return false }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, (deadline - ContinuousClock.now).pollMilliseconds) > 0 else { continue }
            if ICMPEcho.replies(descriptor).contains(where: { $0.identifier == identifier && $0.sequence == sequence && $0.source == address }) {
                return true
            }
        }
        return false
    }
}
