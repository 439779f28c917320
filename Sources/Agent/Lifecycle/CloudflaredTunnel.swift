import ConnectorAPI
import Crypto
import Foundation

/// The cloudflared tunnel the API asks this connector to run, written to `<state dir>/cloudflared` (0700):
/// `config.yml` (tunnel id and ingress, as cloudflared reads it) and `token` (0600, the secret). A change is
/// recognised by the SHA-256 of the config, kept in `applied.sha256` so a restart does not configure it again.
/// No cloudflared binary ships here: a supervisor would run `cloudflared tunnel --config <dir>/config.yml run
/// --token-file <dir>/token` (the agent says whether it found one on PATH).
final class CloudflaredTunnel: Sendable {
    let directory: String
    private var appliedPath: String { directory + "/applied.sha256" }

    init(stateDirectory: String) throws {
        directory = (stateDirectory as NSString).appendingPathComponent("cloudflared")
        try SecureFile.directory(directory)
    }

    /// Writes `config` when it differs from the applied one (nil removes it); whether anything changed.
    func apply(_ config: CloudflaredTunnelConfig?) throws -> Bool {
        let digest = try config.map(Self.digest) ?? "none"
        let applied = SecureFile.read(appliedPath).map { String(decoding: $0, as: UTF8.self) } ?? "none"
        guard digest != applied else { return false }
        if let config {
            try SecureFile.write(Data(config.token.utf8), to: directory + "/token")
            try SecureFile.write(Data(Self.yaml(config).utf8), to: directory + "/config.yml")
        } else {
            SecureFile.remove(directory + "/token")
            SecureFile.remove(directory + "/config.yml")
        }
        try SecureFile.write(Data(digest.utf8), to: appliedPath)
        return true
    }

    /// Whether a cloudflared binary is on PATH.
    static var binaryAvailable: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/cloudflared")
        }
    }

    static func digest(_ config: CloudflaredTunnelConfig) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return SHA256.hash(data: try encoder.encode(config)).map { String(format: "%02x", $0) }.joined()
    }

    /// cloudflared's config file; the catch-all 404 rule ends the ingress list as cloudflared requires.
    static func yaml(_ config: CloudflaredTunnelConfig) -> String {
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        var lines = ["tunnel: \(quoted(config.tunnelId))", "ingress:"]
        for rule in config.ingress ?? [] {
            if let hostname = rule.hostname {
                lines.append("  - hostname: \(quoted(hostname))")
                lines.append("    service: \(quoted(rule.service))")
            } else {
                lines.append("  - service: \(quoted(rule.service))")
            }
        }
        lines.append("  - service: http_status:404")
        return lines.joined(separator: "\n") + "\n"
    }
}
