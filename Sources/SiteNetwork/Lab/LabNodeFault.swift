import ConnectorAPI
import Foundation

/// The HA faults of a lab: a node dies the way a machine does (its links go down first, then every process of
/// it is killed with SIGKILL, so keepalived sends no goodbye and the peer learns it only from the silence), a
/// dead node comes back (applied again: links up, keepalived restarted, as standby), and the HA link between
/// the two is cut (the fabric's bridge drops what either node sends on it; both links stay up, as with a
/// failed switch port between them).
extension Lab {
    func injectHA(_ fault: LabFault, _ config: SiteConfig) throws {
        guard config.site.haMode == true else { throw VerifyError("\(fault) needs an HA site (ha_mode: true)") }
        let names = reconciler.names(for: config)
        let handles = NamespaceHandles()
        switch fault {
        case .nodeDown(let node):
            let namespace = names.node(node).connector
            guard let handle = try handles.handle(namespace) else {
                throw VerifyError("the lab of site \(names.key) has no \(node.rawValue) node \(namespace); run `vconnector lab up FILE` first")
            }
            for link in try handle.socket.links() where link.alias == names.mark {
                _ = try Command.run(in: namespace, "ip", ["link", "set", "dev", link.name, "down"])
            }
            for pid in Namespaces.processes(in: namespace) { kill(pid, SIGKILL) }
        case .nodeUp(let node):
            _ = try reconciler.apply(config, dhcpWait: .zero, node: node)
        case .haLinkDown, .haLinkUp:
            guard let lan = config.lans.first(where: { $0.haLink == true }) else { throw VerifyError("site \(names.key) has no LAN with ha_link") }
            guard let fabric = try handles.handle(names.fabric) else {
                throw VerifyError("the lab of site \(names.key) has no fabric; run `vconnector lab up FILE` first")
            }
            let port = SiteNames.link(of: lan)
            let peers = HANode.allCases.map { names.node($0).fabricPeer(ofPort: port) }
            let table = "\(LabFault.table)_ha_link"
            let drop = fault == .haLinkDown
                ? "table bridge \(table) {\n  chain forward {\n    type filter hook forward priority -10; policy accept;\n"
                    + peers.map { "    iifname \"\($0)\" drop\n" }.joined() + "  }\n}\n"
                : ""
            _ = try fabric.nft { nft in try nft.run("table bridge \(table)\ndelete table bridge \(table)\n" + drop) }
        default:
            return
        }
    }

    /// Waits (bounded) until one node of an HA site is active; returns it, nil on timeout.
    @discardableResult
    public static func awaitActiveNode(_ names: SiteNames, timeout: Duration) -> HANode? {
        let deadline = ContinuousClock.now + timeout
        repeat {
            if let node = HANode.allCases.first(where: { HAState.current(names.node($0)) == .active }) { return node }
            Thread.sleep(forTimeInterval: 0.02)
        } while ContinuousClock.now < deadline
        return nil
    }
}
