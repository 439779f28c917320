/// PostgreSQL text cannot hold NUL, SQLite's can, and hostile input has it (an id, a name, a timestamp). Text
/// crosses to PostgreSQL with NUL escaped, reversibly, so it is stored and compared as on SQLite: NUL becomes
/// U+10FFFE "0" and U+10FFFE itself U+10FFFE U+10FFFE (a noncharacter: real text does not carry it). JSON
/// documents are unaffected (their encoder writes NUL as `\u0000`).
enum PostgresText {
    static let escape: Unicode.Scalar = "\u{10FFFE}"
    /// UTF-8's first byte of U+10FFFE (and of every scalar from U+100000): a quick test before the careful one.
    private static let escapeLead: UInt8 = 0xF4

    static func encode(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0 || $0 == escapeLead }) else { return text }
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{0}": output.append(contentsOf: [escape, "0"])
            case escape: output.append(contentsOf: [escape, escape])
            default: output.append(scalar)
            }
        }
        return String(output)
    }

    static func decode(_ text: String) -> String {
        guard text.utf8.contains(escapeLead) else { return text }
        var output = String.UnicodeScalarView()
        var escaped = false
        for scalar in text.unicodeScalars {
            if escaped {
                output.append(scalar == "0" ? "\u{0}" : scalar)
                escaped = false
            } else if scalar == escape {
                escaped = true
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }
}
