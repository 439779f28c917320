import Foundation

/// RFC 6901 pointers from the dotted paths problems carry.
enum JSONPointer {
    /// `a.b[2]["k/x"]` -> `/a/b/2/k~1x`. A key in `["..."]` may hold dots and brackets, and `\"` and `\\` for a
    /// quote and a backslash (`SiteCheck.key(_:)` writes them so); `~` and `/` are escaped in the pointer.
    static func from(path: String) -> String {
        var tokens: [String] = []
        var current = ""
        var rest = Substring(path)
        while let character = rest.first {
            if rest.hasPrefix("[\"") {
                flush(&current, into: &tokens)
                rest = rest.dropFirst(2)
                tokens.append(quotedKey(&rest))
                continue
            }
            switch character {
            case ".", "[", "]": flush(&current, into: &tokens)
            default: current.append(character)
            }
            rest = rest.dropFirst()
        }
        flush(&current, into: &tokens)
        return tokens.map { "/" + escape($0) }.joined()
    }

    /// The key up to its closing `"]` (consumed), with `\"` and `\\` undone.
    private static func quotedKey(_ rest: inout Substring) -> String {
        var key = ""
        while let character = rest.first {
            rest = rest.dropFirst()
            if character == "\\", let next = rest.first, next == "\"" || next == "\\" {
                key.append(next)
                rest = rest.dropFirst()
            } else if character == "\"", rest.first == "]" {
                rest = rest.dropFirst()
                break
            } else {
                key.append(character)
            }
        }
        return key
    }

    private static func flush(_ current: inout String, into tokens: inout [String]) {
        if !current.isEmpty { tokens.append(current) }
        current = ""
    }

    private static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
