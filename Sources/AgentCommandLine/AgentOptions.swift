import Agent
import ArgumentParser
import Foundation
import Logging

/// The agent's flags, and the settings they resolve to: one definition shared by `vconnector agent` and the
/// agent-only `vconnector-agent` binary, so both take the same flags and print the same help.
public struct AgentOptions: ParsableArguments {
    @Option(help: ArgumentHelp("JSON config file; flags and env override its values.", valueName: "file"))
    var config: String?

    @Option(name: .customLong("api-base"), help: ArgumentHelp("API root (default https://api.cloudflare.com/client/v4).", valueName: "url"))
    var apiBase: String?

    @Option(name: .customLong("account-id"), help: ArgumentHelp("Cloudflare account id.", valueName: "id"))
    var accountID: String?

    @Option(name: .customLong("connector-id"), help: ArgumentHelp("This connector's id.", valueName: "id"))
    var connectorID: String?

    @Option(name: .customLong("api-token"), help: ArgumentHelp("API token (Magic WAN Write); prefer --api-token-file or env VCONNECTOR_API_TOKEN, flags show in ps.", valueName: "token"))
    var apiToken: String?

    @Option(name: .customLong("api-token-file"), help: ArgumentHelp("File holding the API token (0600 or 0400, owned by root or this user; trimmed).", valueName: "file"))
    var apiTokenFile: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("State directory holding the spool (created 0700; default ./vconnector-state).", valueName: "dir"))
    var stateDir: String?

    @Option(name: .customLong("snapshot-interval"), parsing: .unconditional, help: ArgumentHelp("Seconds between snapshots; sub-second allowed (default 60).", valueName: "seconds"))
    var snapshotInterval: Double?

    @Option(name: .customLong("checkin-interval"), parsing: .unconditional, help: ArgumentHelp("Seconds between check-ins (default 10, as the real device).", valueName: "seconds"))
    var checkinInterval: Double?

    @Option(name: .customLong("spool-limit"), parsing: .unconditional, help: ArgumentHelp("Most records kept in the spool; past it the oldest are reclaimed (default 20000).", valueName: "records"))
    var spoolLimit: Int?

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: ArgumentHelp("Most records per POST (default 100).", valueName: "records"))
    var batchSize: Int?

    @Option(name: .customLong("max-backoff"), parsing: .unconditional, help: ArgumentHelp("Longest wait between delivery retries while the API is down (default 60).", valueName: "seconds"))
    var maxBackoff: Double?

    @Option(name: .customLong("shutdown-timeout"), parsing: .unconditional, help: ArgumentHelp("How long SIGTERM/SIGINT may spend delivering Leave and the backlog (default 5).", valueName: "seconds"))
    var shutdownTimeout: Double?

    @Option(name: .customLong("rotate-key-interval"), parsing: .unconditional, help: ArgumentHelp("Seconds between device-key rotations (default off: 0; on demand: SIGUSR1).", valueName: "seconds"))
    var rotateKeyInterval: Double?

    @Option(name: .customLong("rotate-pki-interval"), parsing: .unconditional, help: ArgumentHelp("Seconds between certificate renewals; the first is issued at once (default off: 0; on demand: SIGUSR2).", valueName: "seconds"))
    var rotatePkiInterval: Double?

    @Option(name: .customLong("upgrade-timeout"), parsing: .unconditional, help: ArgumentHelp("Most seconds an upgrade download may take (default 300).", valueName: "seconds"))
    var upgradeTimeout: Double?

    @Option(name: .customLong("upgrade-retry-interval"), parsing: .unconditional, help: ArgumentHelp("Seconds before a failed upgrade offer is tried again (default 3600).", valueName: "seconds"))
    var upgradeRetryInterval: Double?

    @Flag(name: .customLong("no-attestation"), help: "Do not attest the device key (for an API without the attestation exchange).")
    var noAttestation = false

    @Option(help: ArgumentHelp("Report interfaces, netdevs and snmp of this network namespace in snapshots (the site's: `vconnector site namespace --site-id ID`; until it exists, this host's).", valueName: "name"))
    var netns: String?

    @Flag(name: .customLong("no-site-apply"), help: "Validate the fetched site config and record Reconcile, but do not apply it to namespaces (site apply needs root).")
    var noSiteApply = false

    @Option(name: .customLong("site-state-root"), help: ArgumentHelp("Where site apply keeps daemon configs, pid and lease files (default /run/vconnector, shared with `vconnector site` and `lab`).", valueName: "dir"))
    var siteStateRoot: String?

    @Flag(name: .customLong("teardown-on-exit"), help: "Tear the applied site down when the agent stops (default: keep it, so a restart does not drop the LAN).")
    var teardownOnExit = false

    @Flag(name: .customLong("check-config"), help: "Check the settings (config file, flags, token source), print them with the token redacted and exit.")
    var checkConfig = false

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("PEM file of CA certificates to trust for an https --api-base instead of the system's store (a lab's private CA).", valueName: "file"))
    var caFile: String?

    @Option(name: .customLong("metrics-listen"), help: ArgumentHelp("Serve Prometheus metrics at http://ADDR/metrics (HOST:PORT, [IPv6]:PORT or :PORT; default off). See docs/metrics.md.", valueName: "addr"))
    var metricsListen: String?

    @Option(name: .customLong("log-format"), help: "Log format on stderr: text or json (one object per line).")
    var logFormat: LogFormat = .text

    @OptionGroup var log: LogOptions

    public enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    /// The file's values, overridden by env, overridden by flags.
    func resolvedConfiguration() throws -> AgentConfiguration {
        let file = try config.map(AgentConfigurationFile.load(path:)) ?? AgentConfigurationFile()
        var flags = AgentConfigurationFile()
        flags.apiBase = apiBase
        flags.accountID = accountID
        flags.connectorID = connectorID
        flags.apiTokenFile = apiTokenFile
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
        flags.caFile = caFile
        if teardownOnExit { flags.teardownOnExit = true }
        flags.apiToken = apiToken
        // The token's sources in their order (APITokenSource); resolve() then takes it as the flag's. A bad token
        // file is one more problem, reported with the others.
        var tokenProblems: [String] = []
        do {
            flags.apiToken = try APITokenSource.resolve(file: file, flags: flags, environment: ProcessInfo.processInfo.environment)
        } catch let error as ConfigurationError {
            tokenProblems = error.problems
            flags.apiToken = "unread"
        }
        let configuration = AgentConfiguration.resolve(file: file, flags: flags, environmentToken: nil)
        let problems = tokenProblems + configuration.problems()
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        return configuration
    }

    /// Bad settings are reported before anything starts, with the usage of this command.
    public func validate() throws {
        do {
            _ = try resolvedConfiguration()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    public init() {}
}
