import ConnectorAPI
import Foundation
import Logging
import Netlink

/// The surroundings of a site, so its config can be seen working: an upstream router namespace per WAN
/// (the gateway address; a DHCP server for a DHCP WAN; the DHCP server a relay LAN forwards to) and host
/// namespaces per LAN that take real DHCP leases from the connector. Every lab object carries the site's
/// mark and key, so `lab down` (the site's teardown) removes it.
public struct Lab: Sendable {
    public let reconciler: SiteReconciler
    private let logger: Logger

    public init(reconciler: SiteReconciler, logger: Logger = Logger(label: "vconnector.lab")) {
        self.reconciler = reconciler
        self.logger = logger
    }

    /// What `lab up` built.
    public struct Report: Sendable {
        public var apply: ApplyReport
        public var upstreams: [String]
        public var hosts: [LabHost]
    }

    /// Applies the site, builds the lab around it and waits (bounded) for every lease.
    public func up(_ config: SiteConfig, hostsPerLAN: Int, timeout: Duration = .seconds(20)) throws -> Report {
        let started = ContinuousClock.now
        func progress(_ message: String) { logger.info("\(message) (\(Self.seconds(ContinuousClock.now - started)))") }
        // The apply makes the lab's directory, so that the site's DHCP servers know they serve lab hosts only.
        var apply = try reconciler.apply(config, dhcpWait: .zero, lab: true)
        progress("site applied: \(apply.operations.count) operations")
        let names = reconciler.names(for: config)
        let labDirectory = names.labDirectory
        if config.site.haMode == true {
            // The hosts ask for leases next: the DHCP servers run on the active node only.
            let active = Self.awaitActiveNode(names, timeout: .seconds(5))
            progress(active.map { "HA: \($0.rawValue) node active" } ?? "HA: no node active yet")
        }
        let handles = NamespaceHandles()
        let fabric = try handles.handle(names.fabric)!

        // Upstream routers. The relay LANs' DHCP servers live behind the preferred static WAN.
        var upstreams: [String] = []
        var upstreamHandles: [String: NamespaceHandle] = [:]
        let relayWAN = config.wans.filter { $0.staticAddressing?.gatewayAddress != nil }.min { ($0.priority ?? 0) < ($1.priority ?? 0) }
        for (index, wan) in config.wans.enumerated() {
            let port = SiteNames.link(of: wan)
            let namespace = names.upstream(port)
            let upstream = try plug(namespace: namespace, fabricLink: "u" + SiteNames.segment(ofPort: port),
                                    bridge: SiteNames.bridge(ofPort: port), mac: nil, names: names, handles: handles, fabric: fabric)
            upstreams.append(namespace)
            upstreamHandles[port] = upstream
            // The lab's "internet": one address on every upstream, so traffic reaches it by whichever WAN it leaves.
            try ignoringExists { try upstream.socket.addAddress("\(LabVerifier.internetAddress)/32", to: "lo") }
            if let addressing = wan.staticAddressing, let gateway = addressing.gatewayAddress?.value,
               let wanCIDR = addressing.address?.value {
                try ignoringExists { try upstream.socket.addAddress("\(gateway)/\(wanCIDR.prefixLength)", to: "eth0") }
                if wan == relayWAN {
                    try serveRelayLANs(config, upstream: upstream, via: wanCIDR.address, names: names)
                }
            } else {
                // A DHCP WAN: the upstream hands out 100.64.N.0/24 with itself as the router.
                let network = IPv4Address(value: 0x6440_0000 | UInt32(index + 1) << 8)  // 100.64.N.0
                let router = IPv4Address(value: network.value + 1)
                try ignoringExists { try upstream.socket.addAddress("\(router)/24", to: "eth0") }
                let config = try LabDaemon.dhcpServer(
                    interface: "eth0", range: (IPv4Address(value: network.value + 100), IPv4Address(value: network.value + 199)),
                    mask: IPv4Address(value: 0xFFFF_FF00), router: router, base: "\(labDirectory)/dnsmasq-\(namespace)")
                try LabDaemon.start(config, namespace: namespace)
            }
        }

        progress("upstream routers ready: \(upstreams.joined(separator: ", "))")
        if !config.ipsecTunnels.isEmpty {
            let edge = LabEdge(stateRoot: reconciler.stateRoot)
            let edgeLinks = try edge.attach(config, names: names, upstreams: upstreamHandles, handles: handles)
            progress("edge \(edge.namespace) ready: \(edgeLinks.joined(separator: ", "))")
            try awaitTunnels(config, names: names, timeout: .seconds(10))
            progress("IPsec tunnels up: \(config.ipsecTunnels.count)")
        }
        // The DHCP WANs' clients started before their upstreams answered: have them ask again now (SIGUSR1 makes
        // udhcpc discover at once) instead of waiting out their retry pause.
        for wan in config.wans where wan.staticAddressing == nil {
            let status = Observer.status(pidFile: "\(names.stateDirectory)/udhcpc-\(SiteNames.link(of: wan)).pid", configFile: nil)
            if let pid = status.pid, status.running { kill(pid, SIGUSR1) }
        }

        // Hosts: the first ones of a LAN with reservations take the reserved MACs, in MAC order.
        var hosts: [LabHost] = []
        for lan in config.lans {
            let port = SiteNames.link(of: lan)
            let reserved = Self.reservations(of: lan)
            for index in 1...max(1, hostsPerLAN) where hostsPerLAN > 0 {
                let namespace = names.host(port, index)
                let mac = index <= reserved.count ? reserved[index - 1].mac : nil
                let suffix = SiteNames.segment(ofPort: port)
                _ = try plug(namespace: namespace, fabricLink: "h\(suffix)x\(index)", bridge: SiteNames.bridge(ofPort: port),
                             mac: mac, names: names, handles: handles, fabric: fabric)
                let leaseFile = "\(labDirectory)/\(namespace).lease"
                let client = try LabDaemon.dhcpClient(
                    base: "\(labDirectory)/udhcpc-\(namespace)", leaseFile: leaseFile, hostname: namespace,
                    requesting: mac == nil ? Self.poolAddress(of: lan, index - reserved.count) : nil)
                try LabDaemon.start(client, namespace: namespace)
                hosts.append(LabHost(namespace: namespace, lan: lan.name ?? port, link: port, leaseFile: leaseFile))
            }
        }

        progress("lab hosts started: \(hosts.count)")
        // The DHCP WANs can get their leases now that their upstreams answer: apply again and wait for them.
        let deadline = ContinuousClock.now + timeout
        let second = try reconciler.apply(config, dhcpWait: timeout, awaitLeases: true)
        progress("WAN leases applied" + (second.pendingLeases.isEmpty ? "" : "; still without a lease: \(second.pendingLeases.joined(separator: ", "))"))
        apply.operations += second.operations
        apply.pendingLeases = second.pendingLeases
        var leased: Set<String> = []
        // Only a LAN with a DHCP server or relay can give its hosts a lease: waiting for the others is time lost.
        let served = Set(config.lans.filter { $0.staticAddressing?.dhcpServer != nil || $0.staticAddressing?.dhcpRelay != nil }.map(SiteNames.link(of:)))
        while hosts.contains(where: { $0.lease == nil && served.contains($0.link) }) && ContinuousClock.now < deadline {
            for host in hosts where !leased.contains(host.namespace) {
                if let lease = host.lease {
                    leased.insert(host.namespace)
                    progress("\(host.namespace) leased \(lease.cidr)")
                }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        progress("lab hosts leased: \(hosts.filter { $0.lease != nil }.count) of \(hosts.count)")
        for host in hosts where host.lease == nil { logger.warning("lab host \(host.namespace) has no DHCP lease yet") }
        return Report(apply: apply, upstreams: upstreams, hosts: hosts)
    }

    /// Has the connector's charons initiate now (they retried while the edge did not exist yet) and waits until
    /// every tunnel has its SAs.
    private func awaitTunnels(_ config: SiteConfig, names: SiteNames, timeout: Duration) throws {
        let desired = try Planner.desiredState(for: config, names: names, leases: [:])
        let instances = desired.tunnelLinks.map(\.instance)
        for instance in instances where !TunnelSessions.isUp(instance, namespace: names.connector) {
            TunnelSessions.initiate(instance, namespace: names.connector)
        }
        let deadline = ContinuousClock.now + timeout
        var pending = instances
        while !pending.isEmpty {
            pending = pending.filter { !TunnelSessions.isUp($0, namespace: names.connector) }
            if pending.isEmpty { break }
            guard ContinuousClock.now < deadline else {
                throw CommandError(command: "lab up", status: 1, output: "IPsec tunnels not up after \(Self.seconds(timeout)): "
                    + pending.map { "\($0.base) (see \($0.logFile))" }.joined(separator: ", "))
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// A namespace with `eth0`, whose veth peer `fabricLink` is on `bridge` in the fabric.
    private func plug(
        namespace: String, fabricLink: String, bridge: String, mac: String?, names: SiteNames,
        handles: NamespaceHandles, fabric: NamespaceHandle
    ) throws -> NamespaceHandle {
        try Namespaces.create(namespace)
        let handle = try handles.handle(namespace)!
        try handle.socket.setUp("lo")
        if try !handle.socket.links().contains(where: { $0.name == "eth0" }) {
            try? fabric.socket.deleteLink(fabricLink)
            let descriptor = try Namespaces.open(namespace)
            defer { close(descriptor) }
            try fabric.socket.createVeth(name: fabricLink, alias: names.labMark, peerName: "eth0", peerAlias: names.labMark,
                                         peerNamespace: descriptor, peerMAC: mac)
        }
        try fabric.socket.setUp(fabricLink, master: bridge, alias: names.labMark)
        try handle.socket.setUp("eth0", alias: names.labMark)
        return handle
    }

    /// Relay LANs forward to their `server_addresses`: the upstream answers on them (as /32s) with a pool
    /// of the LAN's subnet, and routes the LAN back through the connector's WAN address.
    private func serveRelayLANs(_ config: SiteConfig, upstream: NamespaceHandle, via wanAddress: IPv4Address, names: SiteNames) throws {
        for lan in config.lans {
            guard let addressing = lan.staticAddressing, let relay = addressing.dhcpRelay,
                  let subnet = addressing.address?.value else { continue }
            for server in (relay.serverAddresses ?? []).compactMap(\.value) {
                try ignoringExists { try upstream.socket.addAddress("\(server)/32", to: "lo") }
            }
            try ignoringExists {
                try upstream.socket.addRoute(Route(destination: subnet.networkCIDR, metric: 0,
                                                   nextHops: [NextHop(gateway: "\(wanAddress)", interface: "eth0")]))
            }
            let first = subnet.network.value + 100 > subnet.broadcast.value - 1 ? subnet.network.value + 2 : subnet.network.value + 100
            let last = min(first + 99, subnet.broadcast.value - 1)
            let config = try LabDaemon.dhcpServer(
                interface: "eth0", range: (IPv4Address(value: first), IPv4Address(value: last)),
                mask: IPv4Address(value: subnet.mask), router: subnet.address,
                base: "\(names.labDirectory)/dnsmasq-relay-\(upstream.name)-\(SiteNames.link(of: lan))")
            try LabDaemon.start(config, namespace: upstream.name)
        }
    }
}

/// A lab host and the lease it took.
public struct LabHost: Sendable {
    public var namespace: String
    public var lan: String
    public var link: String
    public var leaseFile: String

    /// The lease the host's udhcpc recorded, nil until it has one.
    public var lease: DHCPClientLease? {
        (try? String(contentsOfFile: leaseFile, encoding: .utf8)).flatMap(DHCPClientLease.init(text:))
    }
}

/// The lab's own daemons: dnsmasq on upstreams, udhcpc on hosts; pid files in the site's lab directory.
enum LabDaemon {
    static func dhcpServer(
        interface: String, range: (IPv4Address, IPv4Address), mask: IPv4Address, router: IPv4Address, base: String
    ) throws(UnsafeConfigValue) -> DaemonSpec {
        var file = Dnsmasq.instance(comment: "vconnector lab: written by `vconnector lab up`, removed by `lab down`", interface: interface, base: base)
        file.serve(range: range, mask: mask, router: router)
        // The lab's upstream stands for an ISP: no ping before an offer (dnsmasq waits up to 3 s for an echo that
        // cannot come in a lab fresh from `lab up`).
        file.add("no-ping")
        let config = try file.render()
        return DaemonSpec(name: (base as NSString).lastPathComponent, link: interface,
                          command: ["dnsmasq", "--conf-file=\(base).conf"], configFile: "\(base).conf", config: config, pidFile: "\(base).pid")
    }

    /// A host's DHCP client; its script records the lease and configures the host with `ip` (a lab host is
    /// not the connector: plain iproute2 is what a real host's DHCP client would do too).
    static func dhcpClient(base: String, leaseFile: String, hostname: String, requesting: IPv4Address? = nil) throws(UnsafeConfigValue) -> DaemonSpec {
        let file = ConfigText.shellQuoted(try ConfigText.value(leaseFile, in: "a lab udhcpc script"))
        let temporary = ConfigText.shellQuoted(try ConfigText.value(leaseFile + ".tmp", in: "a lab udhcpc script"))
        let script = """
            #!/bin/sh
            case "$1" in
              bound|renew)
                ip -4 addr flush dev "$interface"
                ip addr add "$ip/$mask" dev "$interface"
                [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
                printf 'ip=%s\\nmask=%s\\nrouter=%s\\nlease=%s\\nobtained=%s\\n' "$ip" "$mask" "${router%% *}" "$lease" "$(date +%s)" > \(temporary) \\
                  && mv \(temporary) \(file) ;;
              deconfig)
                ip -4 addr flush dev "$interface"; rm -f \(file) ;;
            esac
            exit 0

            """
        return DaemonSpec(name: (base as NSString).lastPathComponent, link: "eth0",
                          command: ["busybox", "udhcpc", "-i", "eth0", "-f", "-R", "-t", "3", "-T", "1", "-A", "1",
                                    "-p", "\(base).pid", "-s", "\(base).sh", "-x", "hostname:\(try ConfigText.value(hostname, in: "a lab udhcpc command line"))"]
                              + (requesting.map { ["-r", $0.description] } ?? []),
                          configFile: "\(base).sh", config: script, pidFile: "\(base).pid", detached: true)
    }

    static func start(_ daemon: DaemonSpec, namespace: String, mark: String = "") throws {
        if Observer.status(pidFile: daemon.pidFile, configFile: nil).running { return }
        try Daemons.start(daemon, namespace: namespace, mark: mark)
    }
}

extension Lab {
    /// A LAN's reservations by normalised MAC, in MAC order: the first lab hosts of the LAN take these MACs.
    static func reservations(of lan: LAN) -> [(mac: String, address: IPv4Address)] {
        (lan.staticAddressing?.dhcpServer?.reservations ?? [:]).compactMap { mac, ip in
            guard let mac = MACAddress.normalized(mac), let address = ip.value else { return nil }
            return (mac, address)
        }.sorted { $0.mac < $1.mac }
    }

    /// The `position`th address (from 1) of the LAN's DHCP pool, which a lab host without a reservation asks for,
    /// so lab hosts get the same addresses on every `lab up` (the first from the pool's start).
    static func poolAddress(of lan: LAN, _ position: Int) -> IPv4Address? {
        guard position >= 1, let server = lan.staticAddressing?.dhcpServer,
            let start = server.dhcpPoolStart?.value, let end = server.dhcpPoolEnd?.value
        else { return nil }
        let address = IPv4Address(value: start.value &+ UInt32(position - 1))
        let reserved = Set(reservations(of: lan).map(\.address))
        return address <= end && !reserved.contains(address) ? address : nil
    }

    /// `1.25 s`: a duration as people read it.
    public static func seconds(_ duration: Duration) -> String { String(format: "%.2f s", duration.seconds) }
}
