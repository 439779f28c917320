import ConnectorAPI
import Foundation
import Logging
import Synchronization

/// `lab verify`: the config's expectations measured with real packets in a site's lab. For every ordered pair
/// of LANs and each LAN to the internet, a probe goes from the LAN's first lab host to the other LAN's host (or
/// to the internet sink every upstream router holds); what arrives, from which source address and through which
/// upstream (so which WAN), is compared with what the config says. Each lab host also runs a fresh DHCP exchange
/// whose address, router and DNS servers are checked against its LAN's DHCP server or relay.
public struct LabVerifier: Sendable {
    public let reconciler: SiteReconciler
    /// How long a probe waits before counting its packet as dropped.
    public var timeout: Duration = .milliseconds(700)
    private let logger: Logger

    /// The "internet": an address every upstream router holds on its loopback (TEST-NET-1), so traffic that
    /// leaves by any WAN reaches it, and the router that answers tells which WAN it was.
    public static let internetAddress = IPv4Address(value: 0xC000_0250)  // 192.0.2.80

    public init(reconciler: SiteReconciler, logger: Logger = Logger(label: "vconnector.verify")) {
        self.reconciler = reconciler
        self.logger = logger
    }

    /// A lab host of a LAN and its current lease.
    struct Host {
        let namespace: String
        let lease: DHCPClientLease
        let address: IPv4Address
    }

    /// Verifies the lab of `config`; with `wanDowns` (WAN names), each of those WANs is then taken down (its
    /// upstream drops everything), traffic checked on the next WAN once the health monitor withdrew its route,
    /// and the WAN brought back and checked again. `tunnelDowns` (tunnel names) do the same to IPsec tunnels: the
    /// tunnel's flow is dropped upstream, the tunnel health monitor withdraws its routes, and the checks (LAN-to-LAN
    /// via the edge among them) run on the next tunnel, then on the tunnel brought back.
    /// `peers`: other sites verified with this one (their labs up around the same edge): each LAN of this site
    /// pings each LAN host of theirs, expected through the tunnels when both sites' routes say so.
    public func verify(_ config: SiteConfig, wanDowns: [String] = [], tunnelDowns: [String] = [], peers: [SiteConfig] = []) throws -> VerifyReport {
        let names = reconciler.names(for: config)
        guard Namespaces.exists(names.connector) else {
            throw VerifyError("site \(names.key) is not applied on this host; run `vconnector lab up FILE` first")
        }
        let failovers = try wanDowns.map { target throws(VerifyError) in
            let wan = try LabFault.wan(target, in: config)
            let link = SiteNames.link(of: wan)
            return Failover(
                kind: "wan", target: target, link: link, down: .wanDown(target), up: .wanUp(target),
                interval: WANHealthMonitor.interval(for: wan.healthCheckRate), routes: "default route", withdrawnWANs: [link],
                recoveryLimitFactor: 1, linksNow: { self.defaultRouteLinks($0) },
                startMonitor: { let monitor = WANHealthMonitor(reconciler: reconciler, config: config, logger: logger); return monitor.stop })
        } + tunnelDowns.map { target throws(VerifyError) in
            let (index, tunnel) = try LabFault.tunnel(target, in: config)
            return Failover(
                kind: "tunnel", target: target, link: SiteNames.tunnelLink(index), down: .tunnelDown(target), up: .tunnelUp(target),
                interval: WANHealthMonitor.interval(for: tunnel.healthCheck?.rate), routes: "routes", withdrawnWANs: [],
                recoveryLimitFactor: 2, linksNow: { self.tunnelRouteLinks($0) },
                startMonitor: { let monitor = TunnelHealthMonitor(reconciler: reconciler, config: config, logger: logger); return monitor.stop })
        }
        var hosts: [String: Host] = [:]
        for view in SiteExplainer(config).lans {
            let namespace = names.host(view.link, 1)
            guard let lease = Self.lease(namespace, names), let address = IPv4Address(lease.address) else { continue }
            hosts[view.link] = Host(namespace: namespace, lease: lease, address: address)
        }
        let upstreams = config.wans.map { names.upstream(SiteNames.link(of: $0)) }.filter(Namespaces.exists)
        try ensureInternet(upstreams)
        let site = ProbeSite(config: config, names: names, hosts: hosts, upstreams: upstreams)
        var checks = try probeChecks(site, downWANs: [], phase: nil)
        checks += try crossSiteChecks(site, peers: peers)
        var notes: [String] = []
        let connector = failovers.isEmpty ? nil : try NamespaceHandle(names.connector)
        for fault in failovers {
            let lab = Lab(reconciler: reconciler, logger: logger)
            try lab.inject(fault.down, config)
            defer { try? lab.inject(fault.up, config) }
            let stopMonitor = fault.startMonitor()
            defer { stopMonitor() }
            let limit = fault.interval * (WANHealthMonitor.threshold + 1) + .seconds(2)
            // The monitor records the fault, then re-applies: wait for the kernel's routes, not the record.
            let down = wait(limit) { fault.linksNow(connector)?.contains(fault.link) == false }
            notes.append("\(fault.kind)-down \(TextRules.printable(fault.target)): "
                         + (down.map { "\(fault.routes) off \(fault.link) after \(Lab.seconds($0))" } ?? "still on \(fault.link) after \(Lab.seconds(limit))")
                         + " (probe interval \(Lab.seconds(fault.interval)))")
            checks += try probeChecks(site, downWANs: fault.withdrawnWANs, phase: "\(fault.kind)-down \(fault.target)")
            try lab.inject(fault.up, config)
            let backLimit = limit * fault.recoveryLimitFactor
            let back = wait(backLimit) { fault.linksNow(connector)?.contains(fault.link) == true }
            notes.append("\(fault.kind)-up \(TextRules.printable(fault.target)): "
                         + (back.map { "\(fault.routes) back on \(fault.link) after \(Lab.seconds($0))" } ?? "not back after \(Lab.seconds(backLimit))"))
            checks += try probeChecks(site, downWANs: [], phase: "\(fault.kind)-up \(fault.target)")
        }
        let dhcp = try dhcpChecks(config, names: names)
        return VerifyReport(site: config.site.name ?? config.site.id ?? names.key, checks: checks, dhcp: dhcp, notes: notes)
    }

    /// One failover `verify` exercises: the fault and its undoing, the health monitor that reacts to it, and how its
    /// effect shows in the connector's routes.
    private struct Failover {
        let kind: String
        let target: String
        let link: String
        let down: LabFault
        let up: LabFault
        let interval: Duration
        /// What moves, as the notes say it (`default route`, `routes`).
        let routes: String
        /// What the expectations withdraw while the fault is in force.
        let withdrawnWANs: Set<String>
        /// Coming back takes the monitor's answers and, for a tunnel, new SAs: a longer wait.
        let recoveryLimitFactor: Int
        let linksNow: (NamespaceHandle?) -> Set<String>?
        /// Starts the monitor; returns how to stop it.
        let startMonitor: () -> () -> Void
    }

    /// The links the connector's default routes leave by now (nil when they cannot be read).
    private func defaultRouteLinks(_ handle: NamespaceHandle?) -> Set<String>? {
        guard let routes = try? handle?.socket.routes() else { return nil }
        return Set(routes.filter { $0.destination == "0.0.0.0/0" }.flatMap(\.nextHops).map(\.interface))
    }

    /// The links of the connector's best route into the tunnels now (nil when it cannot be read).
    private func tunnelRouteLinks(_ handle: NamespaceHandle?) -> Set<String>? {
        guard let routes = try? handle?.socket.routes() else { return nil }
        let first = routes.filter { $0.destination == TunnelPlan.tunnelledSpace[0] }.min { $0.metric < $1.metric }
        return Set(first?.nextHops.map(\.interface) ?? [])
    }

    /// How long `condition` took to become true, polled every 50 ms; nil when it did not within `limit`.
    private func wait(_ limit: Duration, _ condition: () -> Bool) -> Duration? {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < limit {
            if condition() { return ContinuousClock.now - started }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }

    /// What the probes need to know about the lab.
    struct ProbeSite {
        let config: SiteConfig
        let names: SiteNames
        let hosts: [String: Host]
        let upstreams: [String]
    }

    /// The matrix of `config` (with `downWANs` withdrawn) sent as real probes and compared; `phase` names a fault.
    private func probeChecks(_ site: ProbeSite, downWANs: Set<String>, phase: String?) throws -> [VerifyCheck] {
        let expectations = Expectations.of(site.config, hosts: site.hosts.mapValues(\.address), downWANs: downWANs)
        let labels = Dictionary(SiteExplainer(site.config).lans.map { ($0.label, $0.link) }, uniquingKeysWith: { first, _ in first })
        // Every probe whose ends exist in the lab is sent; the others fail with the reason.
        var jobs: [PacketProber.Job] = []
        var jobOf: [Int: Int] = [:]
        var checks: [VerifyCheck] = []
        for (index, expectation) in expectations.enumerated() {
            var missing: String?
            if let from = labels[expectation.from].flatMap({ site.hosts[$0] }) {
                if expectation.to == "internet" {
                    if site.upstreams.isEmpty {
                        missing = "no upstream router in the lab"
                    } else {
                        jobOf[index] = jobs.count
                        jobs.append(PacketProber.Job(source: from.namespace, destination: Self.internetAddress, probe: expectation.probe, receivers: site.upstreams))
                    }
                } else if let to = labels[expectation.to].flatMap({ site.hosts[$0] }) {
                    jobOf[index] = jobs.count
                    jobs.append(PacketProber.Job(source: from.namespace, destination: to.address, probe: expectation.probe, receivers: [to.namespace]))
                } else {
                    missing = "LAN \(expectation.to) has no lab host with a lease (`lab up --hosts 1`)"
                }
            } else {
                missing = "LAN \(expectation.from) has no lab host with a lease (`lab up --hosts 1`)"
            }
            checks.append(VerifyCheck(
                from: expectation.from, to: expectation.to, probe: expectation.probe, expected: expectation.expected,
                seen: Seen(verdict: .drop), passed: false, problem: missing, phase: phase))
        }
        let seen = try PacketProber().run(jobs, timeout: timeout)
        let leases = reconciler.leases(site.names)
        for (index, job) in jobOf {
            checks[index].seen = seen[job]
            checks[index].problem = Self.compare(checks[index].expected, seen[job], names: site.names, wanLeases: leases)
            checks[index].passed = checks[index].problem == nil
        }
        return checks
    }

    /// From each LAN of this site to the first lab host of each LAN of every peer: one echo, compared with `CrossSite`.
    private func crossSiteChecks(_ site: ProbeSite, peers: [SiteConfig]) throws -> [VerifyCheck] {
        var jobs: [PacketProber.Job] = []
        var checks: [VerifyCheck] = []
        for peer in peers {
            let peerNames = reconciler.names(for: peer)
            for target in SiteExplainer(peer).lans {
                let namespace = peerNames.host(target.link, 1)
                guard let lease = Self.lease(namespace, peerNames), let address = IPv4Address(lease.address) else { continue }
                for view in SiteExplainer(site.config).lans {
                    guard let host = site.hosts[view.link] else { continue }
                    jobs.append(PacketProber.Job(source: host.namespace, destination: address, probe: Probe(.icmp), receivers: [namespace]))
                    checks.append(VerifyCheck(
                        from: view.label, to: "\(peer.site.name ?? peerNames.key)/\(target.label)", probe: Probe(.icmp),
                        expected: CrossSite.decision(from: site.config, source: host.address, to: peer, destination: address),
                        seen: Seen(verdict: .drop), passed: false, problem: nil, phase: nil))
                }
            }
        }
        let seen = try PacketProber().run(jobs, timeout: timeout)
        for index in checks.indices {
            checks[index].seen = seen[index]
            checks[index].problem = Self.compare(checks[index].expected, seen[index], names: site.names, wanLeases: [:])
            checks[index].passed = checks[index].problem == nil
        }
        return checks
    }

    /// Why `seen` is not what `expected` says, or nil when it is.
    static func compare(_ expected: Decision, _ seen: Seen, names: SiteNames, wanLeases: [String: DHCPClientLease]) -> String? {
        guard expected.verdict == seen.verdict else {
            return "expected \(expected.verdict.rawValue) (\(expected.rule)), seen \(seen.verdict.rawValue)"
        }
        guard expected.verdict == .allow, !expected.egress.isEmpty, let receiver = seen.receiver else { return nil }
        // Left by the right WAN: the upstream that got it is one of the expected egress links'.
        guard let link = expected.egress.first(where: { names.upstream($0) == receiver }) else {
            return "expected out of \(expected.egress.joined(separator: " or ")) (\(expected.rule)), seen at \(receiver)"
        }
        let source = expected.translatedSource ?? wanLeases[link].flatMap { IPv4Address($0.address) }
        if let source, let actual = seen.source, actual != source {
            return "expected source \(source) (\(expected.rule)), the far side saw \(actual)"
        }
        return nil
    }

    /// The internet sink on every upstream's loopback (`lab up` adds it; a lab from an older version gets it now).
    private func ensureInternet(_ upstreams: [String]) throws {
        let handles = NamespaceHandles()
        for upstream in upstreams {
            guard let handle = try handles.handle(upstream) else { continue }
            try ignoringExists { try handle.socket.addAddress("\(Self.internetAddress)/32", to: "lo") }
        }
    }

    /// The lease the lab host's udhcpc recorded.
    static func lease(_ namespace: String, _ names: SiteNames) -> DHCPClientLease? {
        guard Namespaces.exists(namespace) else { return nil }
        return (try? String(contentsOfFile: "\(names.labDirectory)/\(namespace).lease", encoding: .utf8)).flatMap(DHCPClientLease.init(text:))
    }

    /// A fresh DHCP exchange from every lab host of a LAN with a DHCP server or relay, checked against the config.
    private func dhcpChecks(_ config: SiteConfig, names: SiteNames) throws -> [DHCPCheck] {
        let script = "\(names.labDirectory)/verify-dhcp.sh"
        // Prints what the server offered; changes nothing on the host (its own udhcpc keeps its lease).
        try Daemons.write(
            "#!/bin/sh\n[ \"$1\" = bound ] && printf 'ip=%s\\nmask=%s\\nrouter=%s\\ndns=%s\\n' \"$ip\" \"$mask\" \"${router%% *}\" \"$dns\"\nexit 0\n",
            to: script, mode: 0o700)
        var work: [(namespace: String, lan: LAN, index: Int)] = []
        for lan in config.lans {
            guard let addressing = lan.staticAddressing, addressing.dhcpServer != nil || addressing.dhcpRelay != nil else { continue }
            let prefix = "vh-\(names.key)-\(SiteNames.link(of: lan))-"
            for namespace in Namespaces.all() where namespace.hasPrefix(prefix) {
                if let index = Int(namespace.dropFirst(prefix.count)) { work.append((namespace, lan, index)) }
            }
        }
        let exchanges = work
        let results = Mutex<[Int: DHCPCheck]>([:])
        DispatchQueue.concurrentPerform(iterations: exchanges.count) { position in
            let (namespace, lan, index) = exchanges[position]
            let output = Result {
                try Command.run(in: namespace, "busybox", ["udhcpc", "-i", "eth0", "-n", "-q", "-f", "-t", "3", "-T", "1", "-A", "1", "-s", script])
            }
            let check = Self.dhcpCheck(lan: lan, hostIndex: index, namespace: namespace, output: output)
            results.withLock { $0[position] = check }
        }
        return results.withLock { found in exchanges.indices.compactMap { found[$0] } }
    }

    /// Compares one exchange's outcome with the LAN's config.
    static func dhcpCheck(lan: LAN, hostIndex: Int, namespace: String, output: Result<String, any Error>) -> DHCPCheck {
        let label = lan.name ?? lan.id ?? SiteNames.link(of: lan)
        let addressing = lan.staticAddressing
        let subnet = addressing?.address?.value
        let router = addressing?.virtualAddress?.value?.address ?? subnet?.address
        var expected: [String] = []
        var allowed: (IPv4Address) -> Bool = { subnet?.contains($0) ?? false }
        var dns: [String] = []
        if let server = addressing?.dhcpServer {
            let reserved = Lab.reservations(of: lan)
            if hostIndex <= reserved.count {
                let ip = reserved[hostIndex - 1].address
                expected.append("reservation \(ip) for \(reserved[hostIndex - 1].mac)")
                allowed = { $0 == ip }
            } else if let start = server.dhcpPoolStart?.value, let end = server.dhcpPoolEnd?.value {
                expected.append("pool \(start)-\(end)")
                allowed = { start <= $0 && $0 <= end }
            }
            dns = (server.dnsServers ?? server.dnsServer.map { [$0] } ?? []).compactMap { $0.value?.description }
        } else if let subnet {
            expected.append("an address of \(subnet.networkCIDR) from the relayed server")
        }
        if let router { expected.append("router \(router)") }
        if !dns.isEmpty { expected.append("dns \(dns.joined(separator: " "))") }
        let promise = expected.joined(separator: ", ")
        let text: String
        switch output {
        case .failure(let error):
            return DHCPCheck(host: namespace, lan: label, expected: promise, seen: "no answer", passed: false,
                             problem: "no DHCP answer on LAN \(label) (\(promise)): \(error)")
        case .success(let printed): text = printed
        }
        guard let lease = DHCPClientLease(text: text), let address = IPv4Address(lease.address) else {
            return DHCPCheck(host: namespace, lan: label, expected: promise, seen: "no lease", passed: false, problem: "the DHCP exchange gave no lease (\(promise))")
        }
        let seenDNS = text.split(separator: "\n").first { $0.hasPrefix("dns=") }.map { $0.dropFirst(4).split(separator: " ").map(String.init) } ?? []
        let seen = "\(lease.cidr)" + (lease.router.map { " router \($0)" } ?? "") + (seenDNS.isEmpty ? "" : " dns \(seenDNS.joined(separator: " "))")
        var problems: [String] = []
        if !allowed(address) { problems.append("\(address) is not \(expected.first ?? "in the LAN")") }
        if let router, lease.router != router.description { problems.append("router \(lease.router ?? "none"), expected \(router)") }
        if !dns.isEmpty, seenDNS != dns { problems.append("dns \(seenDNS.joined(separator: " ")), expected \(dns.joined(separator: " "))") }
        return DHCPCheck(host: namespace, lan: label, expected: promise, seen: seen, passed: problems.isEmpty,
                         problem: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }
}

/// Why a verify could not run.
public struct VerifyError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
