import ConnectorAPI
import Foundation
import Logging
import SiteNetwork
import Synchronization
import Telemetry

/// Produces one snapshot with the agent's counters in it; `t` and `v` are set by the agent.
public typealias SnapshotSource = @Sendable (AgentCounters) -> Snapshot

/// The device: records `Init`, then snapshots every `snapshotInterval` and a check-in every
/// `checkinInterval` (connector + site config; `Reconcile` when a new valid config arrives), while the
/// transmitter delivers the spool to the API. `stop()` ends it: `Leave` is recorded and the backlog
/// flushed for up to `shutdownTimeout`. Every record is in the spool before it is sent.
public final class Agent: Sendable {
    public enum StopMode: Sendable {
        /// Record `Leave` and flush the backlog.
        case graceful
        /// Stop at once, as a killed process would: nothing more is recorded or sent.
        case abrupt
    }

    public let configuration: AgentConfiguration
    let spool: Spool
    let client: APIClient
    let transmitter: Transmitter
    let statisticsBox: StatisticsBox
    let clock: @Sendable () -> Double
    /// Decides whether the interrupt window is open; injectable so tests can be inside or outside it.
    let windowClock: @Sendable () -> Date
    /// Identity, installed versions, tunnel: the state of attestation, rotation, upgrade and ConfigureCloudflaredTunnel.
    let device: DeviceState
    let snapshotSource: SnapshotSource
    /// The real collector when the agent uses one: it moves into the site's connector namespace once the site
    /// is applied, unless `networkNamespace` pins it.
    private let collectorBox: CollectorBox?
    let logger: Logger
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let stops: AsyncStream<StopMode>
    private let stopContinuation: AsyncStream<StopMode>.Continuation
    private let latestConnectorBox = Mutex<Connector?>(nil)
    let reconciledBox = Mutex<SiteConfig?>(nil)
    /// The last config that did not validate, so it is reported once, not at every check-in.
    let refusedBox = Mutex<SiteConfig?>(nil)
    /// What interrupts have asked of this run: the exit to take, the emulated boot time.
    let interruptState = Mutex(InterruptState())
    /// Records lost since the spool last stored one; nil while it stores them. A failure episode is logged once.
    private let recordFailures = Mutex<UInt64?>(nil)
    /// Validates and applies site configs; the site's part of snapshots.
    let site: SiteApplication
    /// The last snapshot, check-in and apply, for `--metrics-listen`.
    let observationsBox = Mutex(AgentObservations())

    /// Checks the configuration and opens the spool; throws `ConfigurationError` or `SpoolError` before anything runs.
    /// `snapshotSource` nil means this host's real snapshot collector (in `networkNamespace` if set).
    public init(
        configuration: AgentConfiguration, logger: Logger = Logger(label: "vconnector.agent"),
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        windowClock: @escaping @Sendable () -> Date = { Date() },
        snapshotSource: SnapshotSource? = nil
    ) throws {
        let problems = configuration.problems()
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "connector_id"] = "\(configuration.connectorID)"
        self.logger = logger
        self.clock = clock
        self.windowClock = windowClock
        if let snapshotSource {
            self.snapshotSource = snapshotSource
            collectorBox = nil
        } else {
            let pinned = configuration.networkNamespace
            let waiting = pinned.flatMap { PinnedNamespace.exists($0) ? nil : $0 }
            let collector = try CollectorBox(
                Self.collector(in: waiting == nil ? pinned : nil, configuration: configuration, logger: logger), waitingFor: waiting
            )
            if let waiting {
                logger.notice("network namespace \(waiting) (--netns) does not exist yet; snapshots report this host until it appears (a site's first apply creates it)", metadata: ["netns": "\(waiting)"])
            }
            self.snapshotSource = { counters in collector.collect(counters) }
            collectorBox = collector
        }
        let statistics = StatisticsBox()
        statisticsBox = statistics
        spool = try Spool(directory: configuration.stateDirectory, limit: configuration.spoolLimit) { [logger] movedTo, reason in
            statistics.update { $0.spoolsMovedAside += 1 }
            logger.warning("the spool database is corrupt; moved aside for inspection and a new one started (its undelivered records are not sent)", metadata: [
                "moved_to": "\(movedTo)", "reason": "\(TextRules.printable(reason, limit: 400))",
            ])
        }
        device = try DeviceState(stateDirectory: configuration.stateDirectory, configuredVersion: configuration.version)
        client = APIClient(
            base: URL(string: configuration.apiBase)!, accountID: configuration.accountID,
            connectorID: configuration.connectorID, token: configuration.apiToken, requestTimeout: configuration.requestTimeout,
            http: HTTPClient(caFile: configuration.caFile)
        )
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        (stops, stopContinuation) = AsyncStream.makeStream(of: StopMode.self, bufferingPolicy: .bufferingOldest(1))
        site = SiteApplication(configuration: configuration, logger: logger)
        transmitter = Transmitter(spool: spool, client: client, statistics: statisticsBox, batchSize: configuration.batchSize, logger: logger)
    }

    /// Counters and delivery tallies so far.
    public var statistics: AgentStatistics { statisticsBox.value }
    /// The connector as last fetched at check-in.
    public var latestConnector: Connector? { latestConnectorBox.withLock { $0 } }
    /// The site config last reconciled.
    public var reconciledConfig: SiteConfig? { reconciledBox.withLock { $0 } }
    /// Records waiting in the spool.
    public func spooledCount() throws -> Int { try spool.count() }

    /// Ends `run()`; callable from any thread (signal handlers included), any number of times.
    public func stop(_ mode: StopMode = .graceful) {
        stopContinuation.yield(mode)
    }

    /// Runs until `stop()` (or cancellation, which counts as a graceful stop). Call once.
    public func run() async {
        logger.info("agent starting", metadata: [
            "configuration": "\(configuration)", "version": "\(device.currentVersion)",
            "build": "commit \(BuildInfo.commit), built \(BuildInfo.date), Swift \(BuildInfo.swiftVersion)",
            "spooled": "\((try? spool.count()) ?? -1)", "last_stamp": "\((try? spool.lastStamp()).flatMap { $0 }.map(\.description) ?? "-")",
        ])
        record(.`init`)
        let mode = await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self, returning: StopMode.self) { group in
                group.addTask {
                    await self.transmitter.run(
                        wakeups: self.wakeups,
                        backoff: Backoff(initial: self.configuration.backoffInitial, cap: self.configuration.backoffCap)
                    )
                }
                group.addTask { await self.snapshotLoop() }
                group.addTask {
                    await self.device.attestationDecided.wait()
                    await self.checkinLoop()
                }
                group.addTask { await self.identityLoop() }
                group.addTask { await self.directivesLoop() }
                group.addTask { await self.captureLoop() }
                var iterator = stops.makeAsyncIterator()
                let mode = await iterator.next() ?? .graceful
                group.cancelAll()
                await group.waitForAll()
                return mode
            }
        } onCancel: {
            self.stop(.graceful)
        }
        site.stopWatchingHealth()
        switch mode {
        case .abrupt:
            logger.notice("agent stopped abruptly; the spool keeps what was not delivered", metadata: ["spooled": "\((try? spool.count()) ?? -1)"])
        case .graceful:
            await finishSite()
            record(.leave)
            // Not a child of a cancelled task: the flush's requests must not be cancelled with it. A request that
            // hangs is cut at the deadline; what it carried stays spooled (ingest is idempotent if it did arrive).
            let deadline = ContinuousClock.now + .seconds(configuration.shutdownTimeout)
            let result = await Task {
                await withTaskGroup(of: Transmitter.DrainResult?.self) { group in
                    group.addTask { await self.transmitter.drain(until: deadline) }
                    group.addTask {
                        try? await Task.sleep(until: deadline, clock: .continuous)
                        return nil
                    }
                    let first = await group.next() ?? nil
                    group.cancelAll()
                    return first ?? .failed("shutdown timeout")
                }
            }.value
            let spooled = (try? spool.count()) ?? -1
            if result == .drained {
                logger.info("agent stopped; everything delivered")
            } else {
                logger.warning("agent stopped with records left in the spool; they are sent at the next start", metadata: ["spooled": "\(spooled)"])
            }
        }
    }

    // MARK: Recording

    /// Stamps and spools an event; a failed write is counted in `count_record_failed`.
    @discardableResult
    func record(_ event: Event) -> Stamp? {
        let version = device.currentVersion
        return append(.event, what: event.kind.rawValue) { stamp in
            try Self.encoder().encode(RecordedEvent(e: event, n: stamp.n, t: stamp.t, v: version))
        }
    }

    /// Takes a snapshot carrying the current counters and spools it.
    @discardableResult
    func recordSnapshot() -> Stamp? {
        var snapshot = snapshotSource(statisticsBox.value.counters)
        snapshot.v = device.currentVersion
        emulateUptime(&snapshot)
        site.snapshotPart?.fill(&snapshot)
        let stamp = append(.snapshot, what: "snapshot") { stamp in
            snapshot.t = stamp.t
            return try Self.encoder().encode(snapshot)
        }
        if stamp != nil { observationsBox.withLock { [snapshot] in $0.latestSnapshot = snapshot } }
        return stamp
    }

    private func append(_ kind: RecordKind, what: String, body: (Stamp) throws -> Data) -> Stamp? {
        let result: SpoolAppend
        do {
            result = try spool.append(kind, now: clock(), body: body)
        } catch {
            statisticsBox.update { $0.counters.recordFailed += 1 }
            // A full disk fails every append until space returns: one warning per episode, not one per record.
            let first = recordFailures.withLock { lost in
                defer { lost = (lost ?? 0) + 1 }
                return lost == nil
            }
            let metadata: Logger.Metadata = ["record": "\(what)", "error": "\(TextRules.printable("\(error)", limit: 400))"]
            if first {
                logger.warning("cannot store new records; they are lost (counted in count_record_failed) until the spool can write again; delivery of spooled records goes on", metadata: metadata)
            } else {
                logger.debug("cannot record \(what); it is lost", metadata: metadata)
            }
            return nil
        }
        if let lost = recordFailures.withLock({ lost in defer { lost = nil }; return lost }) {
            logger.notice("the spool stores records again", metadata: ["lost": "\(lost)"])
        }
        statisticsBox.update {
            $0.recorded += 1
            $0.counters.reclaimedPaths += UInt64(result.reclaimed)
            if result.reclaimError != nil { $0.counters.reclaimFailures += 1 }
        }
        logger.debug("recorded \(what)", metadata: ["t": "\(result.stamp.t)", "n": "\(result.stamp.n)"])
        if let previous = result.clockBehind {
            logger.warning("the clock is far behind the last stamp (it ran ahead and was corrected); stamps follow the clock again", metadata: [
                "behind_s": "\(String(format: "%.0f", previous.t - result.stamp.t))", "last_t": "\(previous.t)", "t": "\(result.stamp.t)",
            ])
        }
        if result.reclaimed > 0 {
            logger.warning("spool full; oldest records reclaimed", metadata: ["reclaimed": "\(result.reclaimed)", "limit": "\(spool.limit)"])
        }
        if let error = result.reclaimError {
            logger.error("cannot reclaim spool space", metadata: ["error": "\(error)"])
        }
        wake.yield()
        return result.stamp
    }

    /// The JSON form of every record the agent spools and sends.
    package static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    // MARK: Loops

    /// One snapshot now, then one per interval at a fixed rate (missed ticks are skipped, not bunched).
    private func snapshotLoop() async {
        let interval = Duration.seconds(configuration.snapshotInterval)
        var next = ContinuousClock.now
        while !Task.isCancelled {
            followPinnedNamespace()
            recordSnapshot()
            next += interval
            if next < .now { next = .now + interval }
            do { try await Task.sleep(until: next, clock: .continuous) } catch { return }
        }
    }

    private func checkinLoop() async {
        var failing = false
        var missingReported = false
        while !Task.isCancelled {
            var wait = configuration.checkinInterval
            let started = ContinuousClock.now
            do {
                try await checkIn()
                if failing { logger.notice("check-in succeeded again") }
                failing = false
                missingReported = false
            } catch let error as ConnectorMissing {
                if Task.isCancelled { return }
                // A wrong id does not fix itself soon: say once what to check, then retry at the long backoff.
                wait = max(configuration.checkinInterval, configuration.backoffCap)
                if !missingReported { logger.error("\(error)", metadata: ["retry_every_s": "\(AgentConfiguration.seconds(wait))"]) }
                missingReported = true
                failing = true
            } catch {
                if Task.isCancelled { return }
                if !failing { logger.warning("check-in failed; retrying every check-in interval", metadata: ["error": "\(error)"]) }
                failing = true
            }
            noteCheckin(seconds: (ContinuousClock.now - started).seconds, failed: failing)
            do { try await Task.sleep(for: .seconds(wait)) } catch { return }
        }
    }

    /// Fetches the connector and its site config, validates it and applies it to namespaces; records
    /// `Reconcile` when a new config was applied, or when re-applying an unchanged one changed something
    /// (drift, a new DHCP lease). A config that does not validate is refused and the applied one stays.
    func checkIn() async throws {
        let connectorPath = client.connectorPath
        let connector: Connector
        do {
            connector = try await client.get(Connector.self, connectorPath)
        } catch let error as APIClientError where error.status == 404 {
            throw ConnectorMissing(accountID: configuration.accountID, connectorID: configuration.connectorID, apiBase: configuration.apiBase)
        }
        latestConnectorBox.withLock { $0 = connector }
        guard let fetched = try await SiteConfigSource(client: client).fetch(), let siteID = fetched.site.id else {
            if let previous = reconciledBox.withLock({ $0 }) {
                logger.notice("connector no longer has a site; removing the applied one")
                await self.site.teardown(previous)
            }
            reconciledBox.withLock { $0 = nil }
            return
        }
        let config = try await SiteTunnels(client: client, stateDirectory: configuration.stateDirectory, logger: logger)
            .complete(fetched)
        let changed = config != reconciledBox.withLock({ $0 })
        guard self.site.reconciler != nil || changed else { return }
        let problems = SiteValidator.validate(config)
        guard problems.isEmpty else {
            if refusedBox.withLock({ $0 }) != config {
                logger.error("site config does not validate; keeping the applied one", metadata: [
                    "site_id": "\(TextRules.printable(siteID))", "problems": "\(TextRules.printable(problems.map(\.description).joined(separator: "; "), limit: 2000))",
                ])
                refusedBox.withLock { $0 = config }
            }
            return
        }
        let metadata: Logger.Metadata = [
            "site_id": "\(TextRules.printable(siteID))", "lans": "\(config.lans.count)", "wans": "\(config.wans.count)", "acls": "\(config.acls.count)",
            "tunnels": "\(config.ipsecTunnels.count)",
        ]
        guard self.site.reconciler != nil else {
            reconciledBox.withLock { $0 = config }
            logger.info("site config validated (site apply is off)", metadata: metadata)
            record(.reconcile)
            return
        }
        let report: ApplyReport
        do {
            report = try await self.site.apply(config)
        } catch {
            // Converges at the next check-in from wherever this stopped.
            observationsBox.withLock { $0.applyFailures += 1 }
            logger.error("site apply failed; retrying at the next check-in", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return
        }
        observationsBox.withLock { [clock] in
            $0.lastApplyOperations = report.operations.count
            $0.lastApplyTime = clock()
        }
        // A WAN or tunnel that fails over (or comes back) changes the routes between check-ins: a Reconcile too.
        self.site.watchHealth(config) { self.record(.reconcile) }
        guard changed || !report.operations.isEmpty else { return }
        if changed, let previous = reconciledBox.withLock({ $0 }), previous.site.id != config.site.id {
            await self.site.teardown(previous)
        }
        reconciledBox.withLock { $0 = config }
        for operation in report.operations { logger.info("site: \(operation)", metadata: ["site_id": "\(TextRules.printable(siteID))"]) }
        followSite(into: report.names.connector)
        logger.info("site config applied", metadata: metadata.merging([
            "operations": "\(report.operations.count)", "namespace": "\(report.names.connector)",
        ]) { $1 })
        record(.reconcile)
    }
}

extension Agent {
    /// At a graceful stop: tears the applied site down with `teardownOnExit`, else says that it stays (a restart
    /// adopts it, so the LAN keeps its DHCP and NAT while the agent is down).
    private func finishSite() async {
        guard site.reconciler != nil, let applied = reconciledBox.withLock({ $0 }) else { return }
        let siteID = TextRules.printable(applied.site.id ?? "-")
        if configuration.teardownOnExit || interruptState.withLock({ $0.purge }) {
            logger.notice("tearing the applied site down (teardown on exit, or an interrupt's purge)", metadata: ["site_id": "\(siteID)"])
            await site.teardown(applied)
            reconciledBox.withLock { $0 = nil }
        } else {
            logger.notice("the applied site stays up after the agent stops (--teardown-on-exit removes it)", metadata: ["site_id": "\(siteID)"])
        }
    }

    /// Moves the collector into the `--netns` namespace once it exists (it may be created after the agent started).
    func followPinnedNamespace() {
        guard let collectorBox, let name = collectorBox.waitingFor, PinnedNamespace.exists(name) else { return }
        do {
            try collectorBox.move(into: name, configuration: configuration, logger: logger)
            logger.notice("network namespace \(name) appeared; snapshots now report it", metadata: ["netns": "\(name)"])
        } catch {
            // Retried at every snapshot, said once (an agent without CAP_SYS_ADMIN would say it every minute).
            if collectorBox.noteEnterFailure() {
                logger.warning("cannot enter network namespace \(name); snapshots keep reporting this host, retrying at each snapshot", metadata: ["netns": "\(name)", "error": "\(error)"])
            }
        }
    }

    /// This host's snapshot collector, its network sections read in `namespace` (nil: the agent's own).
    static func collector(in namespace: String?, configuration: AgentConfiguration, logger: Logger) throws -> SnapshotCollector {
        var options = CollectorOptions()
        options.networkNamespace = namespace
        options.version = configuration.version
        return try SnapshotCollector(options: options, logger: logger)
    }

    /// Points the real collector's network sections at the site's connector namespace, so snapshots report
    /// its interfaces, netdevs and snmp (not when `--netns` chose a namespace, or a test gave its own source).
    func followSite(into namespace: String) {
        guard configuration.networkNamespace == nil, let collectorBox, collectorBox.namespace != namespace else { return }
        do {
            try collectorBox.move(into: namespace, configuration: configuration, logger: logger)
            logger.info("snapshots now report the site's connector namespace", metadata: ["netns": "\(namespace)"])
        } catch {
            logger.warning("snapshots keep reporting this host: cannot enter the site's namespace", metadata: ["netns": "\(namespace)", "error": "\(error)"])
        }
    }
}

/// The real collector behind a lock: it keeps buffers and highest temperatures, so calls must not overlap.
final class CollectorBox: Sendable {
    private struct State {
        var collector: SnapshotCollector
        /// The namespace the collector was moved into, nil while it reports the one it started with.
        var namespace: String?
        /// The `--netns` namespace that did not exist yet when the agent started; nil once the collector is in it.
        var pendingNamespace: String?
        var enterFailureNoted = false
    }

    private let state: Mutex<State>

    /// The namespace the collector was moved into, nil while it reports the one it started with.
    var namespace: String? { state.withLock { $0.namespace } }
    /// The `--netns` namespace that did not exist yet when the agent started; nil once the collector is in it.
    var waitingFor: String? { state.withLock { $0.pendingNamespace } }

    init(_ collector: sending SnapshotCollector, waitingFor: String? = nil) {
        state = Mutex(State(collector: collector, pendingNamespace: waitingFor))
    }

    /// True the first time entering the pending namespace failed.
    func noteEnterFailure() -> Bool {
        state.withLock { state in
            defer { state.enterFailureNoted = true }
            return !state.enterFailureNoted
        }
    }

    func collect(_ counters: AgentCounters) -> Snapshot {
        state.withLock { $0.collector.collect(counters: counters).snapshot }
    }

    /// Swaps in a collector of network namespace `namespace`. It is made under the lock (a snapshot due meanwhile
    /// waits for it): a collector made outside could not be handed into the Mutex.
    func move(into namespace: String, configuration: AgentConfiguration, logger: Logger) throws {
        try state.withLock { state in
            state.collector = try Agent.collector(in: namespace, configuration: configuration, logger: logger)
            state.namespace = namespace
            state.pendingNamespace = nil
        }
    }
}
