import ConnectorAPI
import Foundation
import Netlink

/// Cloudflare's anycast edge, emulated for the lab: one namespace per state root (`ve-<key of the state root>`)
/// that every lab site's upstream routers reach over the lab's "internet" (bridge `inet`, 100.127.0.0/16, the edge at .0.1). It holds the
/// tunnels' Cloudflare endpoints, terminates each IPsec tunnel with a charon of its own (the IKEv2 responder,
/// kernel-libipsec, one TUN device per tunnel) and routes between tunnels by the Magic routes of the sites.
///
/// Every tunnel ends in the same Cloudflare endpoint address and port 4500, as on the real edge; since one
/// charon serves one tunnel here, each edge charon listens on a port of its own and the tunnel's upstream
/// router forwards the connector's NAT-T flow (its source port, 4501 + tunnel index) to that port. The
/// upstream also masquerades into the internet, so two sites may use the same WAN addresses.
///
/// Shared by the sites whose labs are up: each site's charons, routes and ports are keyed by its site key, and
/// the namespace goes with the last site (`release`). The edge follows the connector's tunnel health verdicts
/// (`route`): a health probe is a round trip through the tunnel, so both ends see the same loss.
struct LabEdge {
    static let mark = "vconnector lab edge"
    static let bridge = "inet"
    static let address = IPv4Address(value: 0x647F_0001)  // 100.127.0.1
    static let bridgeMAC = "02:76:63:65:64:01"  // locally administered, fixed
    static let prefixLength = 16
    /// The upstream routers' link into the internet.
    static let upstreamLink = "inet0"
    /// The nft table of an upstream router (NAT into the internet, the tunnels' port forwards).
    static let upstreamTable = "vconnector_lab_edge"

    let directory: String
    /// `ve-<8 hex digits>`, from the state root: labs under other state roots (tests) have edges of their own.
    let namespace: String
    private let lockFile: String

    init(stateRoot: String) {
        directory = "\(stateRoot)/edge"
        lockFile = "\(stateRoot)/locks/edge.lock"
        namespace = "ve-" + SiteNames.key(for: stateRoot)
    }

    var exists: Bool { FileManager.default.fileExists(atPath: directory) && Namespaces.exists(namespace) }

    /// Builds the edge for `config`'s tunnels and routes and plugs the site's upstreams into the internet.
    /// Returns the edge's tunnel links. `upstreams`: the WAN link -> upstream namespace handle.
    func attach(_ config: SiteConfig, names: SiteNames, upstreams: [String: NamespaceHandle], handles: NamespaceHandles) throws -> [String] {
        try SiteLock.holding(lockFile, timeout: .seconds(60), waiting: { _ in }) {
            try SiteReconciler.makeDirectory(directory)
            let edge = try ensureNamespace(handles)
            var ports = readPorts()
            var links = readLinks()
            var forwards: [String: [String]] = [:]  // upstream namespace -> nft dnat rules
            for (index, tunnel) in config.ipsecTunnels.enumerated() {
                guard let sides = TunnelAddressing(tunnel.interfaceAddress),
                    let endpoint = tunnel.cloudflareEndpoint?.value,
                    let wan = TunnelPlan.wan(of: tunnel, in: config),
                    let wanAddress = wan.staticAddressing?.address?.value?.address
                else { continue }
                let key = "\(names.key)-\(SiteNames.tunnelLink(index))"
                let port = ports[key] ?? ((ports.values.max() ?? 4500) + 1)
                ports[key] = port
                try write(ports, to: portsFile)
                try ignoringExists { try edge.socket.addAddress("\(endpoint)/32", to: "lo") }
                let instance = StrongSwan.Instance(base: "\(directory)/\(key)", natPort: port)
                let connection = StrongSwan.Connection(
                    role: .responder, localAddress: endpoint, remoteAddress: nil, remotePort: nil, localPort: nil,
                    localIdentity: endpoint.description, remoteIdentity: StrongSwan.customerIdentity(of: tunnel, siteKey: names.key),
                    psk: tunnel.psk ?? "")
                let connectionText = try StrongSwan.connectionConfig(connection)
                let daemon = DaemonSpec(
                    name: key, link: Self.bridge, command: StrongSwan.command(instance), configFile: instance.daemonConfigFile,
                    config: try StrongSwan.daemonConfig(instance, connectionFingerprint: Fingerprint.of(connectionText),
                                                        comment: "vconnector lab edge: tunnel \(tunnel.name ?? key) of site \(names.key)"),
                    pidFile: instance.pidFile, detached: true, writesPidFile: true, companionFile: instance.connectionFile,
                    companion: connectionText, tunnel: TunnelLink(name: "", address: sides.cloudflareCIDR, instance: instance))
                // An edge charon's TUN device takes whichever ipsecN is free: its name is found, not chosen.
                Daemons.stop(pidFile: daemon.pidFile)
                links[key] = try Daemons.start(daemon, namespace: namespace, mark: Self.mark) ?? ""
                try write(links, to: linksFile)
                let upstream = names.upstream(SiteNames.link(of: wan))
                forwards[upstream, default: []].append(
                    "ip saddr \(wanAddress) ip daddr \(endpoint) udp sport \(TunnelPlan.firstLocalPort + index) udp dport \(StrongSwan.edgePort) dnat to \(endpoint):\(port)")
            }
            for (link, upstream) in upstreams.sorted(by: { $0.key < $1.key }) {
                try plug(upstream, edge: edge, edgeLink: "u\(names.key)\(SiteNames.segment(ofPort: link))", names: names, forwards: forwards[upstream.name] ?? [])
            }
            try route(config, names: names, edge: edge, down: TunnelHealth.down(names))
            return config.ipsecTunnels.indices.compactMap { links["\(names.key)-\(SiteNames.tunnelLink($0))"] }
        }
    }

    /// Makes the edge's routes for the site's prefixes what its Magic routes say: each to the tunnel whose customer
    /// side is its nexthop, lower priority first (equal: ECMP), leaving out tunnels that are `down` (connector
    /// links), unless all are.
    func route(_ config: SiteConfig, names: SiteNames, handles: NamespaceHandles = NamespaceHandles(), down: Set<String>) throws {
        guard exists, let edge = try handles.handle(namespace) else { return }
        try route(config, names: names, edge: edge, down: down)
    }

    private func route(_ config: SiteConfig, names: SiteNames, edge: NamespaceHandle, down: Set<String>) throws {
        let links = readLinks()
        let tunnelLinks = config.ipsecTunnels.indices.map(SiteNames.tunnelLink)
        let withdrawn = Planner.withdrawn(tunnelLinks, down: down)
        var edgeLinkOfHop: [IPv4Address: String] = [:]
        for (index, tunnel) in config.ipsecTunnels.enumerated() {
            guard let sides = TunnelAddressing(tunnel.interfaceAddress), let link = links["\(names.key)-\(tunnelLinks[index])"],
                !withdrawn.contains(tunnelLinks[index]) else { continue }
            edgeLinkOfHop[sides.customer] = link
        }
        var hopsByDestination: [String: [UInt32: [NextHop]]] = [:]
        for route in config.routes {
            guard let prefix = route.prefix?.value, let hop = route.nexthop?.value,
                let link = edgeLinkOfHop[hop] else { continue }
            hopsByDestination[prefix.networkCIDR, default: [:]][UInt32(clamping: route.priority ?? 0), default: []]
                .append(NextHop(gateway: hop.description, interface: link))
        }
        let desired = hopsByDestination.flatMap { destination, byMetric in
            byMetric.map { metric, hops in Route(destination: destination, metric: metric, nextHops: hops) }
        }
        // The site's edge routes are those into its tunnel links (or to its prefixes, after a link went away).
        let siteLinks = Set(config.ipsecTunnels.indices.compactMap { links["\(names.key)-\(tunnelLinks[$0])"] })
        let prefixes = Set(config.routes.compactMap { $0.prefix?.value?.networkCIDR })
        let observed = try edge.socket.routes().filter { route in
            route.protocolID == Route.vconnectorProtocol
                && (prefixes.contains(route.destination) || route.nextHops.contains { siteLinks.contains($0.interface) })
        }
        for route in observed where !desired.contains(route) { try edge.socket.deleteRoute(route) }
        for route in desired where !observed.contains(route) { try ignoringExists { try edge.socket.addRoute(route) } }
    }

    /// Stops the site's edge charons (their tunnel links and routes go with them); the last site takes the
    /// edge namespace and directory along.
    func release(siteKey: String, handles: NamespaceHandles) throws -> [Operation] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        return try SiteLock.holding(lockFile, timeout: .seconds(60), waiting: { _ in }) {
            var performed: [Operation] = []
            for daemon in Observer.daemonFiles(in: directory) where daemon.name.hasPrefix("\(siteKey)-") {
                if Observer.status(pidFile: daemon.pidFile, configFile: nil).running { performed.append(.stopDaemon(name: "edge \(daemon.name)")) }
                Daemons.stop(pidFile: daemon.pidFile)
                for suffix in [".conf", ".swanctl.conf", ".vici", ".log"] { try? FileManager.default.removeItem(atPath: "\(directory)/\(daemon.name)\(suffix)") }
            }
            let ports = readPorts().filter { !$0.key.hasPrefix("\(siteKey)-") }
            try write(ports, to: portsFile)
            try write(readLinks().filter { !$0.key.hasPrefix("\(siteKey)-") }, to: linksFile)
            if ports.isEmpty {
                for daemon in Observer.daemonFiles(in: directory) { Daemons.stop(pidFile: daemon.pidFile) }
                if Namespaces.exists(namespace) {
                    _ = Namespaces.stopProcesses(in: namespace)
                    handles.close(namespace)
                    try Namespaces.delete(namespace)
                    performed.append(.deleteNamespace(namespace))
                }
                try? FileManager.default.removeItem(atPath: directory)
            }
            return performed
        }
    }

    /// The edge namespace with its internet bridge, forwarding on.
    private func ensureNamespace(_ handles: NamespaceHandles) throws -> NamespaceHandle {
        if !Namespaces.exists(namespace) { try Namespaces.create(namespace) }
        guard let edge = try handles.handle(namespace) else {
            throw CommandError(command: "open namespace \(namespace)", status: ENOENT, output: "the namespace does not exist")
        }
        try edge.socket.setUp("lo")
        try ignoringExists { try edge.socket.createBridge(name: Self.bridge, alias: Self.mark) }
        // A bridge takes the lowest MAC of its ports unless it has one of its own: each upstream plugged in later
        // could change it under the others' ARP caches and cut them off for half a minute.
        try Command.run("ip", ["-n", namespace, "link", "set", "dev", Self.bridge, "address", Self.bridgeMAC])
        try edge.socket.setUp(Self.bridge, alias: Self.mark)
        try ignoringExists { try edge.socket.addAddress("\(Self.address)/\(Self.prefixLength)", to: Self.bridge) }
        try edge.setSysctl("net/ipv4/ip_forward", "1")
        return edge
    }

    /// Plugs an upstream router into the internet: a veth onto the edge's bridge, an address of its own
    /// (derived from its name), a default route to the edge, NAT into the internet and the tunnels' forwards.
    private func plug(_ upstream: NamespaceHandle, edge: NamespaceHandle, edgeLink: String, names: SiteNames, forwards: [String]) throws {
        if try !upstream.socket.links().contains(where: { $0.name == Self.upstreamLink }) {
            try? edge.socket.deleteLink(edgeLink)
            let descriptor = try Namespaces.open(upstream.name)
            defer { close(descriptor) }
            try edge.socket.createVeth(name: edgeLink, alias: names.labMark, peerName: Self.upstreamLink, peerAlias: names.labMark, peerNamespace: descriptor)
        }
        try edge.socket.setUp(edgeLink, master: Self.bridge, alias: names.labMark)
        try upstream.socket.setUp(Self.upstreamLink, alias: names.labMark)
        let host = 2 + SiteNames.key(for: upstream.name).utf8.reduce(UInt32(0)) { ($0 &* 31) &+ UInt32($1) } % 65_000
        try ignoringExists { try upstream.socket.addAddress("\(IPv4Address(value: Self.address.value - 1 + host))/\(Self.prefixLength)", to: Self.upstreamLink) }
        try ignoringExists {
            try upstream.socket.addRoute(Route(destination: "0.0.0.0/0", metric: 0, nextHops: [NextHop(gateway: Self.address.description, interface: Self.upstreamLink)]))
        }
        try upstream.setSysctl("net/ipv4/ip_forward", "1")
        let table = Self.upstreamTable
        let prerouting = forwards.map { "    \($0)" }.joined(separator: "\n")
        _ = try upstream.nft { nft in
            try nft.run("""
                table ip \(table)
                delete table ip \(table)
                table ip \(table) {
                  chain prerouting {
                    type nat hook prerouting priority dstnat; policy accept;
                \(prerouting)
                  }
                  chain postrouting {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "\(Self.upstreamLink)" masquerade
                  }
                }
                """)
        }
    }

    private var portsFile: String { "\(directory)/ports.json" }
    private var linksFile: String { "\(directory)/links.json" }

    /// The edge port of each tunnel (`<site key>-ipsec<index>` -> port), kept so that ports stay unique across sites.
    private func readPorts() -> [String: Int] { read(portsFile) ?? [:] }
    /// The edge's TUN device of each tunnel (`<site key>-ipsec<index>` -> `ipsecN`).
    private func readLinks() -> [String: String] { read(linksFile) ?? [:] }

    private func read<T: Decodable>(_ file: String) -> T? {
        FileManager.default.contents(atPath: file).flatMap { try? JSONDecoder().decode(T.self, from: $0) }
    }

    private func write(_ value: some Encodable, to file: String) throws {
        try Daemons.write(String(decoding: try JSONEncoder().encode(value), as: UTF8.self), to: file, mode: 0o600)
    }
}
