import Foundation

/// The agent's config file (JSON): every key optional (`null` counts as absent), command-line flags and env override
/// them. `fixtures/agent.example.json` has every key; docs/agent.md, "Settings", says what each means.
public struct AgentConfigurationFile: Codable, Sendable, Equatable {
    public var apiBase: String?
    public var accountID: String?
    public var connectorID: String?
    public var apiToken: String?
    public var stateDir: String?
    public var snapshotInterval: Double?
    public var checkinInterval: Double?
    public var spoolLimit: Int?
    public var netns: String?
    public var batchSize: Int?
    public var backoffInitial: Double?
    public var backoffCap: Double?
    public var shutdownTimeout: Double?
    public var attestation: Bool?
    public var rotateKeyInterval: Double?
    public var rotatePkiInterval: Double?
    public var upgradeTimeout: Double?
    public var upgradeRetryInterval: Double?
    public var siteApply: Bool?
    public var siteStateRoot: String?
    public var caFile: String?
    public var apiTokenFile: String?
    public var teardownOnExit: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case apiBase = "api_base"
        case accountID = "account_id"
        case connectorID = "connector_id"
        case apiToken = "api_token"
        case stateDir = "state_dir"
        case snapshotInterval = "snapshot_interval"
        case checkinInterval = "checkin_interval"
        case spoolLimit = "spool_limit"
        case netns
        case batchSize = "batch_size"
        case backoffInitial = "backoff_initial"
        case backoffCap = "backoff_cap"
        case shutdownTimeout = "shutdown_timeout"
        case attestation
        case rotateKeyInterval = "rotate_key_interval"
        case rotatePkiInterval = "rotate_pki_interval"
        case upgradeTimeout = "upgrade_timeout"
        case upgradeRetryInterval = "upgrade_retry_interval"
        case siteApply = "site_apply"
        case siteStateRoot = "site_state_root"
        case caFile = "ca_file"
        case apiTokenFile = "api_token_file"
        case teardownOnExit = "teardown_on_exit"
    }

    /// Reads and checks a config file; unknown keys are errors (a typo must not silently fall back to a default).
    public static func load(path: String) throws -> AgentConfigurationFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError(problems: ["cannot read config file \(path): \(error.localizedDescription)"])
        }
        return try parse(data, path: path)
    }

    public static func parse(_ data: Data, path: String = "config") throws -> AgentConfigurationFile {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ConfigurationError(problems: ["\(path) is not a JSON object"])
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        let unknown = object.keys.filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw ConfigurationError(problems: ["\(path): unknown key(s) \(unknown.joined(separator: ", ")); known: \(known.sorted().joined(separator: ", "))"])
        }
        do {
            return try JSONDecoder().decode(AgentConfigurationFile.self, from: data)
        } catch DecodingError.typeMismatch(let type, let context) {
            throw ConfigurationError(problems: ["\(path): \(context.codingPath.map(\.stringValue).joined(separator: ".")) must be a \(type)"])
        } catch {
            throw ConfigurationError(problems: ["\(path): \(error)"])
        }
    }
}

extension AgentConfiguration {
    public static let defaultAPIBase = "https://api.cloudflare.com/client/v4"
    public static let defaultStateDirectory = "./vconnector-state"

    /// The configuration from a config file, the environment's token and the command line's flags (given in the
    /// file's shape): a flag beats the environment, which beats the file, which beats the default. Not validated.
    public static func resolve(file: AgentConfigurationFile, flags: AgentConfigurationFile, environmentToken: String?) -> AgentConfiguration {
        let environmentToken = environmentToken.flatMap { $0.isEmpty ? nil : $0 }
        var configuration = AgentConfiguration(
            apiBase: flags.apiBase ?? file.apiBase ?? defaultAPIBase,
            accountID: flags.accountID ?? file.accountID ?? "",
            connectorID: flags.connectorID ?? file.connectorID ?? "",
            apiToken: flags.apiToken ?? environmentToken ?? file.apiToken ?? "",
            stateDirectory: flags.stateDir ?? file.stateDir ?? defaultStateDirectory
        )
        if let value = flags.snapshotInterval ?? file.snapshotInterval { configuration.snapshotInterval = value }
        if let value = flags.checkinInterval ?? file.checkinInterval { configuration.checkinInterval = value }
        if let value = flags.spoolLimit ?? file.spoolLimit { configuration.spoolLimit = value }
        if let value = flags.batchSize ?? file.batchSize { configuration.batchSize = value }
        if let value = flags.backoffInitial ?? file.backoffInitial { configuration.backoffInitial = value }
        if let value = flags.backoffCap ?? file.backoffCap { configuration.backoffCap = value }
        if let value = flags.shutdownTimeout ?? file.shutdownTimeout { configuration.shutdownTimeout = value }
        configuration.networkNamespace = flags.netns ?? file.netns
        if let value = flags.attestation ?? file.attestation { configuration.attestation = value }
        // 0 turns a schedule off (so a flag can switch off what the file turned on).
        if let value = flags.rotateKeyInterval ?? file.rotateKeyInterval { configuration.rotateKeyInterval = value == 0 ? nil : value }
        if let value = flags.rotatePkiInterval ?? file.rotatePkiInterval { configuration.rotatePkiInterval = value == 0 ? nil : value }
        if let value = flags.upgradeTimeout ?? file.upgradeTimeout { configuration.upgradeTimeout = value }
        if let value = flags.upgradeRetryInterval ?? file.upgradeRetryInterval { configuration.upgradeRetryInterval = value }
        // The device applies its site unless told not to.
        configuration.siteApply = flags.siteApply ?? file.siteApply ?? true
        if let value = flags.siteStateRoot ?? file.siteStateRoot { configuration.siteStateRoot = value }
        configuration.caFile = flags.caFile ?? file.caFile
        // Keeping the site applied is the default: a restarted agent (or a rebooted connector) must not drop the LAN.
        configuration.teardownOnExit = flags.teardownOnExit ?? file.teardownOnExit ?? false
        return configuration
    }
}
