import Foundation
import Netlink

/// Reads the observed state of a site. Only marked objects are considered, so nothing else is ever changed.
struct Observer {
    let names: SiteNames

    func observe(handles: NamespaceHandles) throws -> ObservedState {
        var state = ObservedState()
        for namespace in [names.connector, names.fabric] where Namespaces.exists(namespace) {
            state.namespaces.insert(namespace)
        }
        if let fabric = try handles.handle(names.fabric) {
            state.fabricLinks = marked(try fabric.socket.links()).filter { !names.isOtherNodesFabricLink($0.key) }
        }
        if let connector = try handles.handle(names.connector) {
            let links = try connector.socket.links()
            state.connectorLinks = marked(links)
            let indexes = Dictionary(uniqueKeysWithValues: state.connectorLinks.values.map { ($0.index, $0.name) })
            for address in try connector.socket.addresses() where address.family == AF_INET {
                if let name = indexes[address.interfaceIndex] {
                    state.addresses[name, default: []].append(address.cidr)
                }
            }
            for key in state.addresses.keys { state.addresses[key] = Planner.canonical(state.addresses[key]!) }
            state.routes = try connector.socket.routes(links: links, tables: TunnelPlan.wanTables).filter {
                $0.protocolID == Route.vconnectorProtocol
            }
            state.rules = try connector.socket.rules()
            state.forwarding = (try? connector.sysctl("net/ipv4/ip_forward")) == "1"
            if let content = try connector.nft(RulesetContent.observe) {
                state.rulesetFingerprint = content.fingerprint
                state.rulesetEdited = !RulesetContent.isIntact(
                    fingerprint: content.fingerprint, hash: content.hash, names: names)
            }
        }
        for daemon in Self.daemonFiles(in: names.stateDirectory) {
            state.daemons[daemon.name] = Self.status(pidFile: daemon.pidFile, configFile: daemon.configFile)
        }
        return state
    }

    private func marked(_ links: [Link]) -> [String: Link] {
        Dictionary(
            links.filter { $0.alias == names.mark }.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Daemons with a pid file in the state directory (`dnsmasq-port3.pid` -> dnsmasq-port3).
    static func daemonFiles(in directory: String) -> [(name: String, pidFile: String, configFile: String)] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".pid") }.sorted().map { file in
            let name = String(file.dropLast(4))
            let configFile = name.hasPrefix("udhcpc-") ? "\(directory)/\(name).sh" : "\(directory)/\(name).conf"
            return (name, "\(directory)/\(file)", configFile)
        }
    }

    static func status(pidFile: String, configFile: String?) -> DaemonStatus {
        let pid = (try? String(contentsOfFile: pidFile, encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let config = configFile.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
        guard let pid else { return DaemonStatus(pid: nil, running: false, config: config) }
        return DaemonStatus(pid: pid, running: Daemons.isRunning(pid: pid, mentioning: pidFile), config: config)
    }
}

/// Namespace threads and sockets, opened lazily and kept across reconciles while the namespace is the same
/// one (a namespace deleted and re-created under the same name has a new inode, and gets a new handle).
/// Used by one thread at a time: the reconciler keeps its handles inside its Mutex.
final class NamespaceHandles {
    private var open: [String: (inode: UInt64, handle: NamespaceHandle)] = [:]

    /// The handle of `name`, or nil when the namespace does not exist.
    func handle(_ name: String) throws -> NamespaceHandle? {
        var info = stat()
        guard Namespaces.exists(name), stat("\(Namespaces.directory)/\(name)", &info) == 0 else {
            open[name] = nil
            return nil
        }
        let inode = UInt64(info.st_ino)
        if let cached = open[name], cached.inode == inode { return cached.handle }
        let handle = try NamespaceHandle(name)
        open[name] = (inode, handle)
        return handle
    }

    /// Forgets a namespace's handle (it is about to be deleted).
    func close(_ name: String) { open[name] = nil }
}
