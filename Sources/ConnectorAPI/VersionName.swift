/// The grammar of a version the API may offer (the agent and mock-api check the same one): it becomes a directory name under `versions/`, so it must never
/// be able to name a path. 1 to 64 ASCII letters, digits, `.`, `_`, `+` and `-`; not `.` or `..`; not starting
/// with `.` (hidden, or a path step) or `-` (an option to any tool that is handed the name).
public enum VersionName {
    public static let maximumLength = 64

    /// Why `version` is not an acceptable version, or nil when it is. The reason names the offending character
    /// safely (`TextRules.describe`), never the raw text.
    public static func problem(_ version: String) -> String? {
        let scalars = version.unicodeScalars
        if scalars.isEmpty { return "is empty" }
        if scalars.count > maximumLength { return "is \(scalars.count) characters long; at most \(maximumLength) are allowed" }
        if let bad = scalars.first(where: { !isVersionCharacter($0) }) {
            return "contains \(TextRules.describe(bad)); versions are ASCII letters, digits, '.', '_', '+' and '-'"
        }
        if version == "." || version == ".." { return "is a path step, not a version" }
        if version.hasPrefix(".") { return "starts with '.'" }
        if version.hasPrefix("-") { return "starts with '-'" }
        return nil
    }

    public static func isVersionCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "+", "-": return true
        default: return false
        }
    }
}
