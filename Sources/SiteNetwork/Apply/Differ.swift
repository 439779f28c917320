import Netlink

/// The operations that turn the observed state into the desired one, in an order that works: removals of
/// what is no longer wanted first (daemons, routes, addresses, links), then creation from the namespaces
/// outward to the daemons, which need their links and addresses.
enum Differ {
    static func operations(desired: DesiredState, observed: ObservedState) -> [Operation] {
        let names = desired.names
        var removals: [Operation] = []
        var creations: [Operation] = []

        // Ports whose two ends are not both there are recreated; what the kernel had on them goes with them.
        let recreated = Set(desired.ports.filter { observed.connectorLinks[$0.name] == nil || observed.fabricLinks[$0.fabricPeer] == nil }.map(\.name))
        // A tunnel link is the charon's TUN device: wanted like a port, but made by its daemon.
        let wantedPorts = Set(desired.ports.map(\.name) + desired.tunnelLinks.map(\.name))
        let vanishing = recreated.union(observed.connectorLinks.keys.filter { !wantedPorts.contains($0) })
        let observedRoutes = observed.routes.filter { route in !route.nextHops.contains { vanishing.contains($0.interface) } }

        // Daemons.
        let wantedDaemons = Dictionary(uniqueKeysWithValues: desired.daemons.map { ($0.name, $0) })
        for (name, status) in observed.daemons.sorted(by: { $0.key < $1.key }) where wantedDaemons[name] == nil && status.running {
            removals.append(.stopDaemon(name: name))
        }
        var daemonOperations: [Operation] = []
        var freshTunnels: Set<String> = []
        for daemon in desired.daemons {
            let status = observed.daemons[daemon.name]
            // A charon whose TUN device is gone or lost its address is restarted: it makes a new one.
            let tunnelBroken = daemon.tunnel.map { observed.addresses[$0.name] != [$0.address] } ?? false
            if status?.running != true {
                daemonOperations.append(.startDaemon(daemon))
            } else if status?.config != daemon.config || recreated.contains(daemon.link) || tunnelBroken {
                daemonOperations.append(.restartDaemon(daemon))
            } else {
                continue
            }
            if let tunnel = daemon.tunnel { freshTunnels.insert(tunnel.name) }
        }

        // Routes: matched whole (destination, metric, next hops); a changed one is deleted and added. Routes into
        // tunnels come after the charons that make the tunnel links, and again for a link made anew.
        let tunnelLinks = Set(desired.tunnelLinks.map(\.name))
        for route in observedRoutes where !desired.routes.contains(route) {
            removals.append(.deleteRoute(route))
        }
        for rule in observed.rules where !desired.rules.contains(rule) { removals.append(.deleteRule(rule)) }
        let ruleOperations = desired.rules.filter { !observed.rules.contains($0) }.map(Operation.addRule)
        let intoTunnels = { (route: Route) in route.nextHops.contains { tunnelLinks.contains($0.interface) } }
        let routeOperations = desired.routes.filter { !observedRoutes.contains($0) && !intoTunnels($0) }.map(Operation.addRoute)
        let tunnelRouteOperations = desired.routes.filter { route in
            intoTunnels(route) && (!observedRoutes.contains(route) || route.nextHops.contains { freshTunnels.contains($0.interface) })
        }.map(Operation.addRoute)

        // Ports: both ends present and the peer on the right bridge, else recreate.
        let wantedFabric = Set(desired.ports.flatMap { [$0.fabricPeer, $0.bridge] })
        var portOperations: [Operation] = []
        for port in desired.ports where recreated.contains(port.name) {
            if observed.connectorLinks[port.name] != nil { removals.append(.deletePort(port.name)) }
            if observed.fabricLinks[port.fabricPeer] != nil { removals.append(.deleteFabricLink(port.fabricPeer)) }
            portOperations.append(.createPort(port))
        }
        for name in observed.connectorLinks.keys.sorted() where !wantedPorts.contains(name) {
            removals.append(.deletePort(name))
        }
        for (name, link) in observed.fabricLinks.sorted(by: { $0.key < $1.key }) where !wantedFabric.contains(name) {
            // A stray peer goes with its port; delete only what would stay behind.
            let isPeerOfDeletedPort = link.kind == "veth" && observed.connectorLinks.keys.contains { names.fabricPeer(ofPort: $0) == name }
            if !isPeerOfDeletedPort { removals.append(.deleteFabricLink(name)) }
        }
        var bridgeOperations: [Operation] = []
        for bridge in Planner.canonical(desired.bridges) {
            if observed.fabricLinks[bridge] == nil { bridgeOperations.append(.createBridge(bridge)) }
            if observed.fabricLinks[bridge]?.isUp != true {
                bridgeOperations.append(.setUp(namespace: names.fabric, link: bridge, master: nil))
            }
        }
        var upOperations: [Operation] = []
        let bridgeIndexes = Dictionary(observed.fabricLinks.values.map { ($0.name, $0.index) }, uniquingKeysWith: { first, _ in first })
        for port in desired.ports {
            let fresh = recreated.contains(port.name)
            let peer = observed.fabricLinks[port.fabricPeer]
            let onBridge = peer?.masterIndex != nil && peer?.masterIndex == bridgeIndexes[port.bridge]
            if fresh || peer?.isUp != true || !onBridge {
                upOperations.append(.setUp(namespace: names.fabric, link: port.fabricPeer, master: port.bridge))
            }
            if fresh || observed.connectorLinks[port.name]?.isUp != true {
                upOperations.append(.setUp(namespace: names.connector, link: port.name, master: nil))
            }
        }

        // Addresses on our links only (a recreated link starts with none).
        var addressOperations: [Operation] = []
        for port in desired.ports {
            let virtual = desired.virtualAddresses[port.name] ?? []
            let have = (vanishing.contains(port.name) ? [] : observed.addresses[port.name] ?? []).filter { !virtual.contains($0) }
            let want = desired.addresses[port.name] ?? []
            for cidr in have where !want.contains(cidr) { removals.append(.deleteAddress(link: port.name, cidr: cidr)) }
            for cidr in want where !have.contains(cidr) { addressOperations.append(.addAddress(link: port.name, cidr: cidr)) }
        }

        var namespaceOperations: [Operation] = []
        for namespace in [names.connector, names.fabric] where !observed.namespaces.contains(namespace) {
            namespaceOperations.append(.createNamespace(namespace))
        }
        let forwarding: [Operation] = observed.forwarding ? [] : [.enableForwarding]
        let ruleset: [Operation] = observed.rulesetFingerprint != desired.rulesetFingerprint
            ? [.loadRuleset(fingerprint: desired.rulesetFingerprint)]
            : observed.rulesetEdited ? [.loadRuleset(fingerprint: desired.rulesetFingerprint, edited: true)] : []

        creations = namespaceOperations + bridgeOperations + portOperations + upOperations + forwarding
            + addressOperations + routeOperations + ruleOperations + ruleset + daemonOperations + tunnelRouteOperations
        return removals + creations
    }
}
