/// Where this binary came from. `scripts/build-release` rewrites the two stamped values from git and the clock
/// before it builds and restores this file afterwards (plain SwiftPM has no build-time code generation without
/// plugins); any other build says "unknown".
public enum BuildInfo {
    /// The git commit the binary was built from (`git describe --always --dirty`).
    public static let commit = "unknown"
    /// When the binary was built, UTC (ISO 8601).
    public static let date = "unknown"

    /// The compiler's language version, known at compile time.
    public static var swiftVersion: String {
        #if compiler(>=6.4)
        "6.4 or newer"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }

    /// What `--version` prints: `0.1.0 (commit abc1234, built 2026-11-28T10:00:00Z, Swift 6.3)`.
    public static var versionLine: String {
        "\(VConnectorVersion.current) (commit \(commit), built \(date), Swift \(swiftVersion))"
    }
}
