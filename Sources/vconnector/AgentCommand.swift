import Agent
import ArgumentParser
import ConnectorAPI
import Foundation
import Logging

/// `vconnector agent`: the device. Lifecycle events, periodic snapshots, check-ins, store-and-forward.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the connector: lifecycle events, periodic snapshots and check-ins, delivered through a durable spool.",
        discussion: """
            Records Init, then a snapshot every --snapshot-interval and a check-in every --checkin-interval \
            (fetches the connector and its site config, validates it with every `site validate` rule and applies \
            it to network namespaces as `vconnector site apply` does, then records Reconcile; an unchanged config is \
            re-applied each check-in to converge drift and DHCP leases, recording Reconcile only when that changed \
            something; --no-site-apply validates only). Every snapshot and event is written to the spool in --state-dir (SQLite WAL, \
            0700/0600) before it is sent and removed only after the API acknowledged it; while the API is down \
            the agent keeps recording and retries with capped, jittered backoff, then delivers the backlog in \
            order. Past --spool-limit records the oldest are reclaimed (count_reclaimed_paths). SIGTERM/SIGINT: \
            Leave is recorded and the backlog flushed (up to --shutdown-timeout), then the agent exits.

            Identity: a P-256 device key is created once in <state-dir>/identity (0600) and proven to the API \
            at start (StartAttestation, FinishAttestationSuccess/Failure, retried with backoff). The key is \
            rotated every --rotate-key-interval and on SIGUSR1 (StartRotateCryptKey...); a certificate from \
            the account's CA is renewed every --rotate-pki-interval and on SIGUSR2 (StartRotatePki...). A \
            failed rotation keeps the old key or certificate. Upgrades offered by the API start only inside \
            the connector's interrupt window: StartUpgrade, download, SHA-256 check, install under \
            <state-dir>/versions, then the new version is reported in v. A cloudflared tunnel config from the \
            API is written to <state-dir>/cloudflared (ConfigureCloudflaredTunnel once per change).

            Settings come from --config (JSON: api_base, account_id, connector_id, api_token, state_dir, \
            snapshot_interval, checkin_interval, spool_limit, netns, batch_size, backoff_initial, backoff_cap, \
            shutdown_timeout, attestation, rotate_key_interval, rotate_pki_interval, upgrade_timeout, \
            upgrade_retry_interval, site_apply, site_state_root); flags override the file, and VCONNECTOR_API_TOKEN overrides the file's token.

            Examples:
              vconnector agent --config /etc/vconnector/agent.json
              VCONNECTOR_API_TOKEN=$TOKEN vconnector agent --api-base http://127.0.0.1:8787/client/v4 \\
                  --account-id $ACCOUNT --connector-id $CONNECTOR --state-dir ./vconnector-state --snapshot-interval 10
            """
    )

    @Option(help: ArgumentHelp("JSON config file; flags and env override its values.", valueName: "file"))
    var config: String?

    @Option(name: .customLong("api-base"), help: ArgumentHelp("API root (default https://api.cloudflare.com/client/v4).", valueName: "url"))
    var apiBase: String?

    @Option(name: .customLong("account-id"), help: ArgumentHelp("Cloudflare account id.", valueName: "id"))
    var accountID: String?

    @Option(name: .customLong("connector-id"), help: ArgumentHelp("This connector's id.", valueName: "id"))
    var connectorID: String?

    @Option(name: .customLong("api-token"), help: ArgumentHelp("API token (Magic WAN Write); prefer env VCONNECTOR_API_TOKEN, flags show in ps.", valueName: "token"))
    var apiToken: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("State directory holding the spool (created 0700; default ./vconnector-state).", valueName: "dir"))
    var stateDir: String?

    @Option(name: .customLong("snapshot-interval"), help: ArgumentHelp("Seconds between snapshots; sub-second allowed (default 60).", valueName: "seconds"))
    var snapshotInterval: Double?

    @Option(name: .customLong("checkin-interval"), help: ArgumentHelp("Seconds between check-ins (default 10, as the real device).", valueName: "seconds"))
    var checkinInterval: Double?

    @Option(name: .customLong("spool-limit"), help: ArgumentHelp("Most records kept in the spool; past it the oldest are reclaimed (default 20000).", valueName: "records"))
    var spoolLimit: Int?

    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Most records per POST (default 100).", valueName: "records"))
    var batchSize: Int?

    @Option(name: .customLong("max-backoff"), help: ArgumentHelp("Longest wait between delivery retries while the API is down (default 60).", valueName: "seconds"))
    var maxBackoff: Double?

    @Option(name: .customLong("shutdown-timeout"), help: ArgumentHelp("How long SIGTERM/SIGINT may spend delivering Leave and the backlog (default 5).", valueName: "seconds"))
    var shutdownTimeout: Double?

    @Option(name: .customLong("rotate-key-interval"), help: ArgumentHelp("Seconds between device-key rotations (default off: 0; on demand: SIGUSR1).", valueName: "seconds"))
    var rotateKeyInterval: Double?

    @Option(name: .customLong("rotate-pki-interval"), help: ArgumentHelp("Seconds between certificate renewals; the first is issued at once (default off: 0; on demand: SIGUSR2).", valueName: "seconds"))
    var rotatePkiInterval: Double?

    @Option(name: .customLong("upgrade-timeout"), help: ArgumentHelp("Most seconds an upgrade download may take (default 300).", valueName: "seconds"))
    var upgradeTimeout: Double?

    @Option(name: .customLong("upgrade-retry-interval"), help: ArgumentHelp("Seconds before a failed upgrade offer is tried again (default 3600).", valueName: "seconds"))
    var upgradeRetryInterval: Double?

    @Flag(name: .customLong("no-attestation"), help: "Do not attest the device key (for an API without the attestation exchange).")
    var noAttestation = false

    @Option(help: ArgumentHelp("Report interfaces, netdevs and snmp of this network namespace in snapshots (the site's: `vconnector site namespace --site-id ID`).", valueName: "name"))
    var netns: String?

    @Flag(name: .customLong("no-site-apply"), help: "Validate the fetched site config and record Reconcile, but do not apply it to namespaces (site apply needs root).")
    var noSiteApply = false

    @Option(name: .customLong("site-state-root"), help: ArgumentHelp("Where site apply keeps daemon configs, pid and lease files (default /run/vconnector, shared with `vconnector site` and `lab`).", valueName: "dir"))
    var siteStateRoot: String?

    @Option(name: .customLong("log-format"), help: "Log format on stderr: text or json (one object per line).")
    var logFormat: LogFormat = .text

    @OptionGroup var log: LogOptions

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    /// The file's values, overridden by env, overridden by flags.
    func resolvedConfiguration() throws -> AgentConfiguration {
        let file = try config.map(AgentConfigurationFile.load(path:)) ?? AgentConfigurationFile()
        var flags = AgentConfigurationFile()
        flags.apiBase = apiBase
        flags.accountID = accountID
        flags.connectorID = connectorID
        flags.apiToken = apiToken
        flags.stateDir = stateDir
        flags.snapshotInterval = snapshotInterval
        flags.checkinInterval = checkinInterval
        flags.spoolLimit = spoolLimit
        flags.batchSize = batchSize
        flags.backoffCap = maxBackoff
        flags.shutdownTimeout = shutdownTimeout
        flags.netns = netns
        flags.rotateKeyInterval = rotateKeyInterval
        flags.rotatePkiInterval = rotatePkiInterval
        flags.upgradeTimeout = upgradeTimeout
        flags.upgradeRetryInterval = upgradeRetryInterval
        if noAttestation { flags.attestation = false }
        if noSiteApply { flags.siteApply = false }
        flags.siteStateRoot = siteStateRoot
        let configuration = AgentConfiguration.resolve(
            file: file, flags: flags, environmentToken: ProcessInfo.processInfo.environment["VCONNECTOR_API_TOKEN"]
        )
        let problems = configuration.problems()
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        return configuration
    }

    /// Bad settings are reported before anything starts, with the usage of this command.
    func validate() throws {
        do {
            _ = try resolvedConfiguration()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let configuration = try resolvedConfiguration()
        bootstrapLogging()
        let agent: Agent
        do {
            agent = try Agent(configuration: configuration)
        } catch {
            throw ValidationError("cannot start the agent: \(error)")
        }
        let signals = SignalStop(agent: agent)
        let rotations = SignalRotate(agent: agent)
        await agent.run()
        withExtendedLifetime((signals, rotations)) {}
    }

    private func bootstrapLogging() {
        switch logFormat {
        case .text:
            log.bootstrap()
        case .json:
            let level = log.logLevel
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}

/// SIGTERM and SIGINT stop the agent gracefully (Leave, then flush); a second signal exits at once.
private final class SignalStop: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(agent: Agent) {
        let queue = DispatchQueue(label: "vconnector.agent.signals")
        var count = 0
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                count += 1
                if count == 1 {
                    agent.stop(.graceful)
                } else {
                    // The spool is crash-safe: what is not delivered is sent at the next start.
                    FileHandle.standardError.write(Data("second signal: exiting now; undelivered records stay in the spool\n".utf8))
                    _exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }
}

/// SIGUSR1 rotates the device key, SIGUSR2 the certificate (on demand, besides the schedules).
private final class SignalRotate: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(agent: Agent) {
        let queue = DispatchQueue(label: "vconnector.agent.rotation-signals")
        for (number, kind) in [(SIGUSR1, RotationKind.cryptKey), (SIGUSR2, RotationKind.pki)] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { agent.requestRotation(kind) }
            source.resume()
            sources.append(source)
        }
    }
}
