import Foundation
import Logging
import Netlink

/// Performs operations, each one netlink request, one nft transaction or one daemon start/stop.
struct Applier {
    let desired: DesiredState
    let handles: NamespaceHandles
    let logger: Logger

    private var names: SiteNames { desired.names }

    func perform(_ operation: Operation) throws {
        switch operation {
        case .createNamespace(let name):
            try Namespaces.create(name)
            try handle(name).socket.setUp("lo")
        case .deleteNamespace(let name):
            handles.close(name)
            try Namespaces.delete(name)
        case .createBridge(let name):
            try ignoringExists { try handle(names.fabric).socket.createBridge(name: name, alias: names.mark) }
        case .createPort(let port):
            let fabric = try handle(names.fabric)
            let connectorHandle = try handle(names.connector)
            let connector = try Namespaces.open(names.connector)
            defer { close(connector) }
            let create = {
                try fabric.socket.createVeth(
                    name: port.fabricPeer, alias: names.mark, peerName: port.name, peerAlias: names.mark, peerNamespace: connector)
            }
            do {
                try create()
            } catch let error as NetlinkError where error.isAlreadyExists {
                // A run that died between creating the pair and marking it (the kernel ignores the alias at
                // creation) left unmarked ends; in the site's own namespaces they can only be ours.
                try fabric.socket.deleteLink(port.fabricPeer)
                try connectorHandle.socket.deleteLink(port.name)
                try create()
            }
        case .deletePort(let name):
            try handle(names.connector).socket.deleteLink(name)
        case .deleteFabricLink(let name):
            try handle(names.fabric).socket.deleteLink(name)
        case .setUp(let namespace, let link, let master):
            try handle(namespace).socket.setUp(link, master: master, alias: link == "lo" ? nil : names.mark)
        case .addAddress(let link, let cidr):
            try ignoringExists { try handle(names.connector).socket.addAddress(cidr, to: link) }
        case .deleteAddress(let link, let cidr):
            try handle(names.connector).socket.deleteAddress(cidr, from: link)
        case .addRoute(let route):
            try ignoringExists { try handle(names.connector).socket.addRoute(route) }
        case .deleteRoute(let route):
            try handle(names.connector).socket.deleteRoute(route)
        case .addRule(let rule):
            try ignoringExists { try handle(names.connector).socket.addRule(rule) }
        case .deleteRule(let rule):
            try handle(names.connector).socket.deleteRule(rule)
        case .enableForwarding:
            try handle(names.connector).setSysctl("net/ipv4/ip_forward", "1")
        case .loadRuleset(let fingerprint, _):
            let ruleset = desired.ruleset
            let loaded = try handle(names.connector).nft { nft in
                try nft.run(ruleset)
                return RulesetContent.observe(nft)
            }
            // What the kernel made of our ruleset, remembered so that any later edit shows as drift.
            if let loaded { try RulesetContent.record(fingerprint: fingerprint, hash: loaded.hash, names: names) }
        case .startDaemon(let daemon):
            try releaseVirtualAddresses(before: daemon)
            try Daemons.start(daemon, namespace: names.connector, mark: names.mark)
        case .restartDaemon(let daemon):
            Daemons.stop(pidFile: daemon.pidFile)
            try releaseVirtualAddresses(before: daemon)
            try Daemons.start(daemon, namespace: names.connector, mark: names.mark)
        case .stopDaemon(let name):
            Daemons.stop(pidFile: "\(names.stateDirectory)/\(name).pid")
        }
    }

    /// A keepalived that starts owns no virtual address yet: any left from one that was killed (a node that
    /// crashed and came back) would answer beside the active node's.
    private func releaseVirtualAddresses(before daemon: DaemonSpec) throws {
        guard daemon.name == "keepalived" else { return }
        let connector = try handle(names.connector)
        for (link, cidrs) in desired.virtualAddresses.sorted(by: { $0.key < $1.key }) {
            for cidr in cidrs { try? connector.socket.deleteAddress(cidr, from: link) }
        }
    }

    private func handle(_ name: String) throws -> NamespaceHandle {
        guard let handle = try handles.handle(name) else {
            throw CommandError(command: "open namespace \(name)", status: ENOENT, output: "the namespace does not exist")
        }
        return handle
    }
}
