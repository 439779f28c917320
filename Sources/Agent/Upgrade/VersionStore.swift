import ConnectorAPI
import Foundation

/// The version this device runs, installed under `<state dir>/versions`: each verified bundle at
/// `versions/<version>/bundle`, and `versions/current.json` naming the running one (written atomically, so it
/// survives restarts and crashes).
final class VersionStore: Sendable {
    struct Installed: Codable, Sendable, Equatable {
        var version: String
        var sha256: String
        var url: String
        var installedAt: String

        enum CodingKeys: String, CodingKey {
            case version, sha256, url
            case installedAt = "installed_at"
        }
    }

    let directory: String
    var currentPath: String { directory + "/current.json" }

    init(stateDirectory: String) throws {
        directory = (stateDirectory as NSString).appendingPathComponent("versions")
        try SecureFile.directory(directory)
    }

    func current() -> Installed? {
        SecureFile.read(currentPath).flatMap { try? JSONDecoder().decode(Installed.self, from: $0) }
    }

    /// Where a download is written before it is verified.
    var stagingPath: String { directory + "/.download-\(getpid())" }

    /// Moves a verified bundle into place and makes it the running version.
    func install(staged: String, offer: UpgradeOffer) throws -> Installed {
        let target = directory + "/" + offer.version
        try SecureFile.directory(target)
        try SecureFile.move(staged, over: target + "/bundle")
        let installed = Installed(version: offer.version, sha256: offer.sha256, url: offer.url, installedAt: ISO8601DateFormatter().string(from: Date()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try SecureFile.write(try encoder.encode(installed), to: currentPath)
        return installed
    }
}
