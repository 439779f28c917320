import ConnectorAPI

/// The last line of defence of every file vconnector generates for a daemon (dnsmasq configs, udhcpc scripts,
/// the nft ruleset): what may stand in a value, a comment, or a shell word. Validation rejects hostile input
/// first; these checks make sure that even a value that slipped past it (or a state root with a strange path)
/// fails the apply instead of becoming a directive. See docs/security.md.
enum ConfigText {
    /// Characters a value in a generated file may hold: addresses, MACs, interface names, numbers and the
    /// paths of our own state directory. No whitespace, quotes, `#`, `=`, `,`, `$`, backslash or control
    /// character, so a value can neither end its line, start a comment nor split into two fields.
    static func isSafeValueCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", ":", "/", "_", "-", "+", "@", "%": return true
        default: return false
        }
    }

    /// `value` unchanged when every character is safe; throws naming the file and the character otherwise.
    static func value(_ value: String, in file: String) throws(UnsafeConfigValue) -> String {
        if value.isEmpty { throw UnsafeConfigValue(file: file, value: value, reason: "is empty") }
        if value.utf8.count > 1024 { throw UnsafeConfigValue(file: file, value: value, reason: "is longer than 1024 bytes") }
        if let bad = value.unicodeScalars.first(where: { !isSafeValueCharacter($0) }) {
            throw UnsafeConfigValue(file: file, value: value, reason: "contains \(TextRules.describe(bad))")
        }
        return value
    }

    /// Text for a `#` comment line: printable, one line (control characters escaped as `\u{..}`), bounded.
    static func comment(_ text: String) -> String { TextRules.printable(text, limit: 200) }

    /// `word` as one single-quoted POSIX shell word: nothing in it is expanded (`$()`, backticks, globs).
    static func shellQuoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }
}

/// A value that must not be written into a generated file.
public struct UnsafeConfigValue: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var value: String
    public var reason: String

    public var description: String {
        "refusing to write '\(TextRules.printable(value, limit: 80))' into \(file): it \(reason) (only letters, digits and . : / _ - + @ % are written into daemon configs)"
    }
}
