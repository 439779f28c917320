import ConnectorAPI
import Foundation

/// Everything the agent needs to run. `validate()` says what is wrong before anything starts.
public struct AgentConfiguration: Sendable, CustomStringConvertible {
    /// The API root, e.g. `https://api.cloudflare.com/client/v4` or `http://127.0.0.1:8787/client/v4`.
    public var apiBase: String
    public var accountID: String
    public var connectorID: String
    /// Bearer token; never logged (see `description`).
    public var apiToken: String
    /// Holds the spool (and, later, the device identity). Created 0700.
    public var stateDirectory: String
    /// Seconds between snapshots (sub-second allowed).
    public var snapshotInterval: Double = 60
    /// Seconds between check-ins (connector and site config fetched).
    public var checkinInterval: Double = 10
    /// Most records kept in the spool; past it the oldest are reclaimed.
    public var spoolLimit: Int = 20_000
    /// Records per POST at most.
    public var batchSize: Int = 100
    /// First retry delay and its cap while the API is unreachable or failing (seconds).
    public var backoffInitial: Double = 1
    public var backoffCap: Double = 60
    /// How long a shutdown may spend delivering the backlog and `Leave`.
    public var shutdownTimeout: Double = 5
    /// HTTP request timeout (seconds).
    public var requestTimeout: Double = 15
    /// PEM file of the CA certificates trusted for an https API instead of the system's store (a private CA in a
    /// lab); nil: the system's store.
    public var caFile: String?
    /// Report this network namespace's interfaces in snapshots (passed to the collector).
    public var networkNamespace: String?
    /// The `v` of snapshots and events until an upgrade installs another version.
    public var version = VConnectorVersion.current
    /// Prove the device key to the API at start (StartAttestation...); off only for tests of other parts.
    public var attestation = true
    /// Seconds between scheduled device-key rotations; nil: only on demand.
    public var rotateKeyInterval: Double?
    /// Seconds between scheduled certificate renewals (the first is issued at once when none exists); nil: on demand.
    public var rotatePkiInterval: Double?
    /// Most seconds an upgrade bundle download may take.
    public var upgradeTimeout: Double = 300
    /// Seconds before an offer that failed (bad hash, download error) is tried again.
    public var upgradeRetryInterval: Double = 3600
    /// Apply the fetched site config to network namespaces (needs root); off: validate and report only.
    /// Off by default in the library (tests embed agents); `vconnector agent` turns it on.
    public var siteApply = false
    /// Where site apply keeps daemon configs, pid and lease files (shared with `vconnector site` and `lab`).
    public var siteStateRoot = "/run/vconnector"
    /// Tear the applied site down when the agent stops; off: the site (namespaces, dnsmasq, NAT) stays as it is, so
    /// restarting the agent does not drop the LAN, and the next start adopts it.
    public var teardownOnExit = false

    public init(apiBase: String, accountID: String, connectorID: String, apiToken: String, stateDirectory: String) {
        self.apiBase = apiBase
        self.accountID = accountID
        self.connectorID = connectorID
        self.apiToken = apiToken
        self.stateDirectory = stateDirectory
    }

    /// Every problem at once, each naming the setting and what to do; empty when the configuration is usable.
    public func problems() -> [String] {
        var problems: [String] = []
        if let url = URL(string: apiBase), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil {
            if apiBase.hasSuffix("/") { problems.append("api base \(apiBase): drop the trailing '/' (e.g. https://api.cloudflare.com/client/v4)") }
        } else {
            problems.append("api base '\(apiBase)' is not an http(s) URL (e.g. https://api.cloudflare.com/client/v4)")
        }
        func identifier(_ value: String, _ name: String) {
            if value.isEmpty {
                problems.append("\(name) is missing")
            } else if !value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
                problems.append("\(name) '\(value)' may hold only letters, digits, '-' and '_'")
            }
        }
        identifier(accountID, "account id (--account-id)")
        identifier(connectorID, "connector id (--connector-id)")
        if apiToken.isEmpty { problems.append("API token is missing (--api-token, env VCONNECTOR_API_TOKEN, or api_token in the config file)") }
        if apiToken.contains(where: { $0.isWhitespace || $0.isNewline }) { problems.append("API token contains whitespace") }
        if stateDirectory.isEmpty { problems.append("state dir (--state-dir) is missing") }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            problems.append("CA file (--ca-file) \(caFile) cannot be read")
        }
        func positive(_ value: Double, _ name: String) {
            if !(value.isFinite && value > 0) { problems.append("\(name) must be a positive number of seconds (got \(Self.seconds(value)))") }
        }
        positive(snapshotInterval, "snapshot interval (--snapshot-interval)")
        positive(checkinInterval, "check-in interval (--checkin-interval)")
        positive(backoffInitial, "backoff initial delay (backoff_initial)")
        positive(backoffCap, "backoff cap (--max-backoff)")
        positive(requestTimeout, "request timeout")
        positive(upgradeTimeout, "upgrade timeout (--upgrade-timeout)")
        positive(upgradeRetryInterval, "upgrade retry interval (--upgrade-retry-interval)")
        if let value = rotateKeyInterval { positive(value, "key rotation interval (--rotate-key-interval)") }
        if let value = rotatePkiInterval { positive(value, "PKI rotation interval (--rotate-pki-interval)") }
        if !(shutdownTimeout.isFinite && shutdownTimeout >= 0) { problems.append("shutdown timeout (--shutdown-timeout) must be 0 or more seconds (got \(Self.seconds(shutdownTimeout)))") }
        if spoolLimit < 1 { problems.append("spool limit must be at least 1 record (got \(spoolLimit))") }
        if !(1...1000).contains(batchSize) { problems.append("batch size must be 1 to 1000 (got \(batchSize))") }
        return problems
    }

    /// The configuration with the token redacted, for logs.
    public var description: String {
        "api_base=\(apiBase) account_id=\(accountID) connector_id=\(connectorID) api_token=<redacted> state_dir=\(stateDirectory) "
            + "snapshot_interval=\(Self.seconds(snapshotInterval)) checkin_interval=\(Self.seconds(checkinInterval)) spool_limit=\(spoolLimit) "
            + "netns=\(networkNamespace ?? "-") attestation=\(attestation) rotate_key_interval=\(rotateKeyInterval.map(Self.seconds) ?? "off") "
            + "rotate_pki_interval=\(rotatePkiInterval.map(Self.seconds) ?? "off") site_apply=\(siteApply) site_state_root=\(siteStateRoot) ca_file=\(caFile ?? "-") "
            + "teardown_on_exit=\(teardownOnExit)"
    }

    /// Seconds as a person writes them: `5`, `0.25`, `-5` (not `5.0`).
    static func seconds(_ value: Double) -> String {
        value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}

/// A configuration problem, reported before the agent starts.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var problems: [String]
    public init(problems: [String]) { self.problems = problems }
    public var description: String { "invalid agent configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n") }
}
