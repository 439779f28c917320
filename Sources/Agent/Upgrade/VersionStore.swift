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

    /// The installed version, if `current.json` names one that obeys `VersionName`.
    func current() -> Installed? {
        SecureFile.read(currentPath).flatMap { try? JSONDecoder().decode(Installed.self, from: $0) }
            .flatMap { VersionName.problem($0.version) == nil ? $0 : nil }
    }

    /// Where a download is written before it is verified.
    var stagingPath: String { directory + "/.download-\(getpid())" }

    /// Moves a verified bundle into place and makes it the running version.
    func install(staged: String, offer: UpgradeOffer) throws -> Installed {
        let target = try directory(for: offer.version)
        try SecureFile.move(staged, over: target + "/bundle")
        let installed = Installed(version: offer.version, sha256: offer.sha256, url: offer.url, installedAt: ISO8601DateFormatter().string(from: Date()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try SecureFile.write(try encoder.encode(installed), to: currentPath)
        return installed
    }

    /// `versions/<version>`, created 0700, after checking that it is a directory of its own right under
    /// `versions/`: the version obeys `VersionName`, and the resolved path (symlinks followed) is the lexical one,
    /// so neither `..` nor a planted symlink can make root write or chmod anything elsewhere.
    func directory(for version: String) throws -> String {
        if let problem = VersionName.problem(version) {
            throw SecureFile.Failure(description: "version '\(TextRules.printable(version))' \(problem); not installed")
        }
        guard let root = Self.resolved(directory) else {
            throw SecureFile.Failure(description: "cannot resolve \(directory): \(String(cString: strerror(errno)))")
        }
        let target = (root as NSString).appendingPathComponent(version)
        guard (target as NSString).standardizingPath == target, (target as NSString).deletingLastPathComponent == root else {
            throw SecureFile.Failure(description: "version '\(TextRules.printable(version))' does not name a directory right under \(root)")
        }
        if mkdir(target, 0o700) != 0 && errno != EEXIST {
            throw SecureFile.Failure(description: "cannot create \(target): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard lstat(target, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, Self.resolved(target) == target else {
            throw SecureFile.Failure(description: "\(target) is not a plain directory (a symlink or a file is there); refusing to install into it")
        }
        guard chmod(target, 0o700) == 0 else {
            throw SecureFile.Failure(description: "cannot set mode 0700 on \(target): \(String(cString: strerror(errno)))")
        }
        return target
    }

    /// The absolute path with every symlink resolved, nil when it does not exist.
    static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
