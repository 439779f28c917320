import Agent
import Foundation
import Testing

/// The token's sources in their order, and what a token file must be.
@Suite struct APITokenSourceTests {
    /// A scratch directory with `name` holding `content` at `mode`; the file's path.
    private func file(_ directory: String, _ name: String, _ content: String, mode: Int = 0o600) throws -> String {
        let path = "\(directory)/\(name)"
        try content.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test("--api-token, --api-token-file, env, systemd credential, api_token_file, api_token: strongest first")
    func order() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vct-token-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let credentials = "\(directory)/credentials"
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        _ = try file(credentials, APITokenSource.credentialName, "from-credential\n", mode: 0o400)

        var config = AgentConfigurationFile()
        config.apiToken = "from-config"
        config.apiTokenFile = try file(directory, "config-token", " from-config-file ")
        var flags = AgentConfigurationFile()
        flags.apiToken = "from-flag"
        flags.apiTokenFile = try file(directory, "flag-token", "from-flag-file\n")
        var environment = ["VCONNECTOR_API_TOKEN": "from-env", "CREDENTIALS_DIRECTORY": credentials]

        #expect(try APITokenSource.resolve(file: config, flags: flags, environment: environment) == "from-flag")
        flags.apiToken = nil
        #expect(try APITokenSource.resolve(file: config, flags: flags, environment: environment) == "from-flag-file")
        flags.apiTokenFile = nil
        #expect(try APITokenSource.resolve(file: config, flags: flags, environment: environment) == "from-env")
        environment["VCONNECTOR_API_TOKEN"] = ""
        #expect(try APITokenSource.resolve(file: config, flags: flags, environment: environment) == "from-credential", "an empty env var does not count")
        environment["CREDENTIALS_DIRECTORY"] = nil
        #expect(try APITokenSource.resolve(file: config, flags: flags, environment: environment) == "from-config-file")
        config.apiTokenFile = nil
        #expect(try APITokenSource.resolve(file: config, flags: flags, environment: environment) == "from-config")
        config.apiToken = nil
        #expect(try APITokenSource.resolve(file: config, flags: flags, environment: environment) == "")

        // Only the winning source is read: a bad file behind a stronger source is no problem.
        config.apiTokenFile = try file(directory, "loose", "x", mode: 0o644)
        #expect(try APITokenSource.resolve(file: config, flags: flags, environment: ["VCONNECTOR_API_TOKEN": "from-env"]) == "from-env")
        #expect(throws: ConfigurationError.self) { try APITokenSource.resolve(file: config, flags: flags, environment: [:]) }
    }

    @Test("a token file: regular, 0600 or 0400, not empty; its content trimmed")
    func fileRules() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vct-token-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try APITokenSource.read(path: file(directory, "a", "\n\tsecret \n"), setting: "test") == "secret")
        #expect(try APITokenSource.read(path: file(directory, "b", "secret", mode: 0o400), setting: "test") == "secret")
        for mode in [0o640, 0o604, 0o644, 0o660, 0o700] {
            let path = try file(directory, "m\(mode)", "secret", mode: mode)
            #expect(throws: ConfigurationError.self, "mode \(String(mode, radix: 8))") { try APITokenSource.read(path: path, setting: "test") }
        }
        let empty = try file(directory, "empty", " \n")
        #expect(throws: ConfigurationError.self) { try APITokenSource.read(path: empty, setting: "test") }
        #expect(throws: ConfigurationError.self) { try APITokenSource.read(path: directory, setting: "test") }
        #expect(throws: ConfigurationError.self) { try APITokenSource.read(path: "\(directory)/absent", setting: "test") }
    }
}
