import Foundation

/// Scratch files for one test process: every path lies in one directory under the temporary directory,
/// removed when the process exits, so test databases and state directories do not pile up in /tmp.
public enum TestScratch {
    /// `vct-scratch-<pid>`, created on first use; its removal is registered with `atexit`.
    public static let directory: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vct-scratch-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        atexit { try? FileManager.default.removeItem(atPath: TestScratch.directory) }
        return path
    }()

    /// A new, unique path in the scratch directory (nothing is created there).
    public static func path(_ prefix: String, suffix: String = "") -> String {
        "\(directory)/\(prefix)-\(UUID().uuidString)\(suffix)"
    }
}
