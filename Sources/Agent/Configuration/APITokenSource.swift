import Foundation

/// Where the API token comes from, strongest first: `--api-token`, `--api-token-file`, env
/// `VCONNECTOR_API_TOKEN`, the systemd credential `$CREDENTIALS_DIRECTORY/api-token` (`LoadCredential=`), the config
/// file's `api_token_file`, the config file's `api_token`. A file is read only when it is the source that wins.
public enum APITokenSource {
    /// The name of the systemd credential the unit loads (`LoadCredential=api-token:...`).
    public static let credentialName = "api-token"

    /// The token, or "" when no source gives one (reported as missing by `AgentConfiguration.problems()`).
    public static func resolve(file: AgentConfigurationFile, flags: AgentConfigurationFile, environment: [String: String]) throws -> String {
        if let token = flags.apiToken { return token }
        if let path = flags.apiTokenFile { return try read(path: path, setting: "--api-token-file") }
        if let token = environment["VCONNECTOR_API_TOKEN"], !token.isEmpty { return token }
        if let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty {
            let path = (directory as NSString).appendingPathComponent(credentialName)
            if FileManager.default.fileExists(atPath: path) { return try read(path: path, setting: "systemd credential \(credentialName)") }
        }
        if let path = file.apiTokenFile { return try read(path: path, setting: "api_token_file") }
        return file.apiToken ?? ""
    }

    /// Reads a token file: a regular file, 0600 or 0400, owned by root or by the user the
    /// agent runs as (anyone else could have replaced the token); the content trimmed of surrounding whitespace.
    public static func read(path: String, setting: String) throws -> String {
        func problem(_ text: String) -> ConfigurationError {
            ConfigurationError(problems: ["API token file \(path) (\(setting)) \(text)"])
        }
        var status = stat()
        guard stat(path, &status) == 0 else { throw problem("cannot be read: \(String(cString: strerror(errno)))") }
        guard status.st_mode & S_IFMT == S_IFREG else { throw problem("is not a regular file") }
        let mode = status.st_mode & 0o777
        guard mode == 0o600 || mode == 0o400 else {
            throw problem("has mode \(String(mode, radix: 8)); it must be 0600 or 0400 (chmod 600 \(path))")
        }
        guard status.st_uid == 0 || status.st_uid == geteuid() else {
            throw problem("is owned by uid \(status.st_uid); it must be owned by root or by the user running the agent")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw problem("cannot be read") }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw problem("is empty") }
        return token
    }
}
