// The rules every string from outside (the API, a config file) must pass before it is stored or used: names are
// printable text of bounded length, ids are short tokens. Shared by mock-api's validation and `site validate`, so
// the API and the device agree on what a name may hold. See docs/security.md.

/// Rules for free-text names and for ids.
public enum TextRules {
    /// Longest name (site, WAN, LAN, ACL, description) in Unicode scalars.
    public static let maximumNameLength = 256
    /// Longest id: Cloudflare's ids are 32 hex digits; lab configs use short words such as `lan-office`.
    public static let maximumIDLength = 64

    /// Why `name` is not an acceptable name, or nil when it is: 1 to 256 printable characters, no control,
    /// format, line-separator, private-use or unassigned code points (so it can never start a new line or
    /// directive in a generated file, nor hide text on a terminal).
    public static func nameProblem(_ name: String, maximumLength: Int = maximumNameLength) -> String? {
        let scalars = name.unicodeScalars
        if scalars.isEmpty { return "must not be empty" }
        if scalars.count > maximumLength {
            return "is \(scalars.count) characters long; at most \(maximumLength) are allowed"
        }
        if let bad = scalars.first(where: { !isPrintable($0) }) {
            return "contains \(describe(bad)); names are printable text on one line"
        }
        return nil
    }

    /// Why `id` is not an acceptable id, or nil when it is: 1 to 64 ASCII letters, digits, `-` and `_`.
    public static func idProblem(_ id: String) -> String? {
        if id.isEmpty { return "must not be empty" }
        if id.utf8.count > maximumIDLength { return "is \(id.utf8.count) bytes long; ids are at most \(maximumIDLength)" }
        if let bad = id.unicodeScalars.first(where: { !isIDCharacter($0) }) {
            return "contains \(describe(bad)); ids are letters, digits, '-' and '_'"
        }
        return nil
    }

    /// True for a character an id may hold.
    public static func isIDCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_": return true
        default: return false
        }
    }

    /// True for a code point that prints as itself on one line: not a control (Cc), format (Cf, e.g. bidi
    /// overrides and zero-width joiners), line or paragraph separator, surrogate, private-use or unassigned one.
    public static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: return false
        default: return true
        }
    }

    /// `a newline (U+000A)`, `'#'`: a character named so that a terminal shows it safely.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        switch scalar {
        case "\n": return "a newline (\(code))"
        case "\r": return "a carriage return (\(code))"
        case "\t": return "a tab (\(code))"
        case "\0": return "a NUL byte (\(code))"
        case "\u{1B}": return "an escape character (\(code))"
        default: return isPrintable(scalar) && scalar.value < 0x80 ? "'\(Character(scalar))'" : "the character \(code)"
        }
    }

    /// `text` made safe to print on a terminal or in a log line: every non-printable character becomes `\u{XX}`,
    /// and very long text is cut (with the length said), so an attacker's string cannot move the cursor,
    /// change colours or fake a second log line.
    public static func printable(_ text: String, limit: Int = 120) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                result += "…(\(text.unicodeScalars.count) characters)"
                break
            }
            if isPrintable(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            }
            count += 1
        }
        return result
    }
}
