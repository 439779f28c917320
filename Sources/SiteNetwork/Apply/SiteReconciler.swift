import ConnectorAPI
import Foundation
import Logging
import SiteRules
import Synchronization

/// What one apply did.
public struct ApplyReport: Sendable {
    public var names: SiteNames
    /// The operations performed, in order (empty when the host already matched the config).
    public var operations: [Operation]
    /// Decisions worth telling the operator (emulations used).
    public var notes: [String]
    /// DHCP links still without a lease when apply returned (udhcpc keeps trying; the next apply uses it).
    public var pendingLeases: [String]
    /// The operations the first diff found: what a dry run just before this apply would have printed.
    public var predicted: Int = 0
    /// Time spent starting and stopping daemons (dnsmasq, udhcpc), reported apart from the kernel work.
    public var daemonTime: Duration = .zero
}

/// validate -> plan -> observe -> diff -> apply -> verify, for one site, on this host.
///
/// Idempotent: a second apply of the same config performs no operation; a changed config performs only what
/// differs; a run that crashed half-way is converged by the next apply or undone by teardown, because
/// everything is observed from the kernel and identified by its mark, not remembered.
public final class SiteReconciler: @unchecked Sendable {
    public let stateRoot: String
    private let logger: Logger
    /// Namespace threads and sockets reused across applies (a no-op re-apply is then a few netlink dumps), behind
    /// the lock that also keeps this process's plans, applies and teardowns from overlapping.
    private let handles = Mutex(NamespaceHandles())

    /// How long an apply or teardown waits for another one of the same site to finish.
    public var lockTimeout: Duration = .seconds(120)

    public init(stateRoot: String = SiteNames.defaultStateRoot, logger: Logger = Logger(label: "vconnector.site")) {
        self.stateRoot = stateRoot
        self.logger = logger
    }

    /// Runs `body` holding the site's file lock, telling the operator when another apply or teardown holds it.
    private func locked<T>(_ names: SiteNames, removeLockFile: Bool = false, _ body: () throws -> T) throws -> T {
        try SiteLock.holding(names.lockFile, timeout: lockTimeout, removeFile: removeLockFile, waiting: { holder in
            logger.notice("waiting for another apply or teardown of site \(names.key)\(holder.map { " (pid \($0))" } ?? "") to finish")
        }, body)
    }

    /// Throws when the key of `config`'s site is recorded on this host as another site's.
    private func checkOwner(_ names: SiteNames, of config: SiteConfig) throws(SiteKeyCollision) {
        guard let data = FileManager.default.contents(atPath: names.ownerFile) else { return }
        let owner = String(decoding: data, as: UTF8.self)
        let identity = SiteNames.identity(of: config.site)
        if owner != identity { throw SiteKeyCollision(key: names.key, applied: owner, requested: identity) }
    }

    /// Refuses a site whose key already belongs to another site on this host; records the owner otherwise.
    private func claim(_ names: SiteNames, for config: SiteConfig) throws {
        try checkOwner(names, of: config)
        if !FileManager.default.fileExists(atPath: names.ownerFile) {
            try Daemons.write(SiteNames.identity(of: config.site), to: names.ownerFile, mode: 0o600)
        }
    }

    public func names(for config: SiteConfig) -> SiteNames { SiteNames(site: config.site, stateRoot: stateRoot) }

    /// The names of one node of `config`'s site (the single connector's when the site is not HA).
    public func names(for config: SiteConfig, node: HANode?) -> SiteNames {
        names(for: config).node(config.site.haMode == true ? node : nil)
    }

    /// The nodes an apply or plan works on: `node` alone, or both of an HA site, or the single connector.
    private func nodes(_ config: SiteConfig, _ node: HANode?) -> [HANode?] {
        config.site.haMode == true && node != nil ? [node] : HANode.all(of: config)
    }

    /// The operations an apply would perform now (validates first; changes nothing): of `node`, or of both
    /// nodes of an HA site.
    public func plan(_ config: SiteConfig, node: HANode? = nil) throws -> [Operation] {
        try SiteValidator.check(config)
        return try nodes(config, node).flatMap { node in try plan(config, names: names(for: config, node: node)) }
    }

    private func plan(_ config: SiteConfig, names: SiteNames) throws -> [Operation] {
        try handles.withLock { handles in
            let desired = try desiredState(config, names: names)
            let observed = try Observer(names: names).observe(handles: handles)
            return Differ.operations(desired: desired, observed: observed)
        }
    }

    /// What `config` asks of the host now: with the current leases, WAN and tunnel health, and this host's
    /// capabilities. In a lab (its directory exists) the DHCP servers offer without pinging first: every host on
    /// a lab LAN is one the lab made, and the ping holds each first offer for 3 s.
    private func desiredState(_ config: SiteConfig, names: SiteNames) throws -> DesiredState {
        try Planner.desiredState(
            for: config, names: names, leases: leases(names), capabilities: .current, downWANs: downWANs(names),
            downTunnels: TunnelHealth.down(names), pingBeforeOffer: !FileManager.default.fileExists(atPath: names.labDirectory))
    }

    /// Makes the host match `config`. Throws `SiteValidationError` before touching anything when the config
    /// is invalid. `dhcpWait` bounds how long it waits for new DHCP clients' first leases.
    /// `awaitLeases` waits for every missing lease, not only those of clients this run started.
    /// An HA site's apply makes both nodes (primary first, so that it is the one elected), or only `node`.
    /// `lab` (from `lab up`) makes the site's lab directory once the site is claimed, before anything else.
    public func apply(
        _ config: SiteConfig, dhcpWait: Duration = .seconds(8), awaitLeases: Bool = false, node: HANode? = nil, lab: Bool = false
    ) throws -> ApplyReport {
        try SiteValidator.check(config)
        var report: ApplyReport?
        for node in nodes(config, node) {
            let part = try apply(config, names: names(for: config, node: node), dhcpWait: dhcpWait, awaitLeases: awaitLeases, lab: lab)
            report = report.map { $0.adding(part) } ?? part
        }
        return report!
    }

    private func apply(_ config: SiteConfig, names: SiteNames, dhcpWait: Duration, awaitLeases: Bool, lab: Bool) throws -> ApplyReport {
        try handles.withLock { handles in try locked(names) {
            try Self.makeDirectory(names.siteDirectory)
            try Self.makeDirectory(names.stateDirectory)
            try claim(names, for: config)
            if lab { try Self.makeDirectory(names.labDirectory) }
            var performed: [Operation] = []
            var daemonTime = Duration.zero
            var predicted: Int?
            var desired = try desiredState(config, names: names)
            let deadline = ContinuousClock.now + dhcpWait
            // A lease obtained by a client started in this run changes the desired state: apply again.
            for _ in 0..<4 {
                let observed = try Observer(names: names).observe(handles: handles)
                let operations = Differ.operations(desired: desired, observed: observed)
                if predicted == nil { predicted = operations.count }
                let applier = Applier(desired: desired, handles: handles, logger: logger)
                for operation in operations {
                    let started = ContinuousClock.now
                    try applier.perform(operation)
                    let took = ContinuousClock.now - started
                    if operation.isDaemonOperation { daemonTime += took }
                    logger.debug("\(operation)", metadata: ["site": "\(names.key)", "took": "\(took)"])
                }
                performed += operations
                let startedClients = operations.contains { operation in
                    if case .startDaemon(let daemon) = operation { return daemon.name.hasPrefix("udhcpc-") }
                    if case .restartDaemon(let daemon) = operation { return daemon.name.hasPrefix("udhcpc-") }
                    return false
                }
                if operations.isEmpty && !awaitLeases { break }  // converged, and no new client to wait for
                if startedClients || awaitLeases {
                    while !desired.dhcpLinks.subtracting(leases(names).keys).isEmpty && ContinuousClock.now < deadline {
                        Thread.sleep(forTimeInterval: 0.05)
                    }
                }
                let next = try desiredState(config, names: names)
                if next == desired { break }
                desired = next
            }
            // Verify: what the kernel shows now must be exactly what was asked for (already observed when
            // nothing was done).
            if !performed.isEmpty {
                let remaining = Differ.operations(desired: desired, observed: try Observer(names: names).observe(handles: handles))
                guard remaining.isEmpty else { throw SiteApplyError.notConverged(remaining) }
            }
            if !performed.isEmpty || lastApply(names)?.operations != 0 {
                try Self.record(ApplyRecord(operations: performed.count, at: Date().timeIntervalSince1970), in: names)
            }
            if appliedConfig(names) != config {
                let applied = try JSONEncoder().encode(config)
                try Daemons.write(String(decoding: applied, as: UTF8.self), to: "\(names.stateDirectory)/applied-config.json", mode: 0o600)
            }
            let pending = desired.dhcpLinks.subtracting(leases(names).keys).sorted()
            return ApplyReport(names: names, operations: performed, notes: desired.notes, pendingLeases: pending, predicted: predicted ?? 0, daemonTime: daemonTime)
        } }
    }

    /// Removes everything vconnector created for the site (daemons, namespaces with their links, routes and
    /// nft table, the lab around it, the state directory) and nothing else: a namespace with the site's names
    /// is removed only when it carries the site's mark (a link with its alias) or the site's state directory
    /// exists. Returns what it removed.
    @discardableResult
    public func teardown(_ names: SiteNames) throws -> [Operation] {
        guard SiteNames.isValidKey(names.key) else { throw SiteKeyError(key: names.key) }
        return try handles.withLock { handles in try locked(names, removeLockFile: true) {
            var performed: [Operation] = []
            let site = names.node(nil)
            let recorded = FileManager.default.fileExists(atPath: site.siteDirectory)
            // The site's daemons (both nodes' of an HA site), then the lab's (in its own directory), before their
            // namespaces go.
            let directories = [(site.stateDirectory, ""), (site.node(.secondary).stateDirectory, "secondary "), (site.labDirectory, "lab ")]
            for (directory, label) in directories {
                for daemon in Observer.daemonFiles(in: directory) {
                    if Observer.status(pidFile: daemon.pidFile, configFile: nil).running { performed.append(.stopDaemon(name: label + daemon.name)) }
                    Daemons.stop(pidFile: daemon.pidFile)
                }
            }
            for namespace in Namespaces.all() where names.owns(namespace: namespace) {
                guard recorded || isMarked(namespace, names) else {
                    logger.notice("leaving namespace \(namespace) alone: it is named like site \(names.key)'s but carries no mark of it")
                    continue
                }
                let strays = Namespaces.stopProcesses(in: namespace)
                if strays > 0 { logger.notice("stopped \(strays) process(es) still running in \(namespace)") }
                handles.close(namespace)
                logger.debug("delete namespace \(namespace)", metadata: ["site": "\(names.key)"])
                try Namespaces.delete(namespace)
                performed.append(.deleteNamespace(namespace))
            }
            // The site's tunnels at the lab's edge (and the edge itself, with the last site).
            performed += try LabEdge(stateRoot: stateRoot).release(siteKey: names.key, handles: handles)
            try? FileManager.default.removeItem(atPath: site.siteDirectory)
            return performed
        } }
    }

    /// Tears down the site `config` names, refusing when its key belongs to another site on this host.
    @discardableResult
    public func teardown(_ config: SiteConfig) throws -> [Operation] {
        let names = names(for: config)
        try checkOwner(names, of: config)
        return try teardown(names)
    }

    /// True when one of the namespace's links carries the site's mark or its lab's (an interface alias only
    /// vconnector writes), so a namespace that merely looks like ours by name is never deleted.
    func isMarked(_ namespace: String, _ names: SiteNames) -> Bool {
        guard Namespaces.exists(namespace), let handle = try? NamespaceHandle(namespace), let links = try? handle.socket.links() else {
            return false
        }
        return links.contains { $0.alias == names.mark || $0.alias == names.labMark }
    }

    /// The keys of every site applied on this host: a state directory under the state root, or a connector
    /// namespace carrying the site's mark. Names that are not site keys are ignored.
    public func appliedSites() -> [String] {
        var keys = Set(((try? FileManager.default.contentsOfDirectory(atPath: "\(stateRoot)/sites")) ?? []).filter(SiteNames.isValidKey))
        for namespace in Namespaces.all() where namespace.hasPrefix("vc-") {
            let key = String(namespace.dropFirst(3))
            guard SiteNames.isValidKey(key), !keys.contains(key) else { continue }
            if isMarked(namespace, SiteNames(key: key, stateRoot: stateRoot)) { keys.insert(key) }
        }
        return keys.sorted()
    }

    /// Current DHCP client leases of the site, by link.
    func leases(_ names: SiteNames) -> [String: DHCPClientLease] {
        var leases: [String: DHCPClientLease] = [:]
        let files = (try? FileManager.default.contentsOfDirectory(atPath: names.stateDirectory)) ?? []
        for file in files where file.hasPrefix("udhcpc-") && file.hasSuffix(".lease") {
            let link = String(file.dropFirst("udhcpc-".count).dropLast(".lease".count))
            if let text = try? String(contentsOfFile: "\(names.stateDirectory)/\(file)", encoding: .utf8), let lease = DHCPClientLease(text: text) {
                leases[link] = lease
            }
        }
        return leases
    }

    /// The WANs (by link) the health monitor found down; their default routes are withdrawn.
    public func downWANs(_ names: SiteNames) -> Set<String> {
        guard let data = FileManager.default.contents(atPath: Self.healthFile(names)),
            let record = try? JSONDecoder().decode([String: [String]].self, from: data)
        else { return [] }
        return Set(record["down"] ?? [])
    }

    /// Records the WANs the health monitor found down (an input of the next apply, like the DHCP leases).
    public func recordDownWANs(_ down: Set<String>, _ names: SiteNames) throws {
        let data = try JSONEncoder().encode(["down": down.sorted()])
        try Daemons.write(String(decoding: data, as: UTF8.self), to: Self.healthFile(names), mode: 0o600)
    }

    static func healthFile(_ names: SiteNames) -> String { "\(names.stateDirectory)/wan-health.json" }

    /// The number of operations the last apply of this site performed (`delta` in snapshots).
    public func lastApply(_ names: SiteNames) -> ApplyRecord? {
        guard let data = FileManager.default.contents(atPath: "\(names.stateDirectory)/last-apply.json") else { return nil }
        return try? JSONDecoder().decode(ApplyRecord.self, from: data)
    }

    /// The config last applied to this site on this host.
    public func appliedConfig(_ names: SiteNames) -> SiteConfig? {
        guard let data = FileManager.default.contents(atPath: "\(names.stateDirectory)/applied-config.json") else { return nil }
        return try? JSONDecoder().decode(SiteConfig.self, from: data)
    }

    static func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        chmod(path, 0o700)
    }

    private static func record(_ record: ApplyRecord, in names: SiteNames) throws {
        let data = try JSONEncoder().encode(record)
        try Daemons.write(String(decoding: data, as: UTF8.self), to: "\(names.stateDirectory)/last-apply.json", mode: 0o600)
    }
}

extension ApplyReport {
    /// This report followed by `other`'s (the second node of an HA site).
    func adding(_ other: ApplyReport) -> ApplyReport {
        var sum = self
        sum.operations += other.operations
        sum.notes += other.notes.filter { !notes.contains($0) }
        sum.pendingLeases += other.pendingLeases
        sum.predicted += other.predicted
        sum.daemonTime += other.daemonTime
        return sum
    }
}

/// The last apply of a site, kept in its state directory.
public struct ApplyRecord: Codable, Sendable {
    public var operations: Int
    public var at: Double
}

public enum SiteApplyError: Error, CustomStringConvertible {
    /// After applying, observation still differs from the config (something outside vconnector interferes).
    case notConverged([Operation])

    public var description: String {
        switch self {
        case .notConverged(let remaining):
            "the host did not converge to the config; still to do: " + remaining.map(\.description).joined(separator: "; ")
        }
    }
}
