import Foundation

/// RFC 6901 pointers from the dotted paths problems carry.
enum JSONPointer {
    /// `a.b[2]["k/x"]` -> `/a/b/2/k~1x`. Keys in `["..."]` may hold dots and brackets; `~` and `/` are escaped.
    static func from(path: String) -> String {
        var tokens: [String] = []
        var current = ""
        var rest = Substring(path)
        while let character = rest.first {
            if rest.hasPrefix("[\""), let end = rest.range(of: "\"]") {
                flush(&current, into: &tokens)
                tokens.append(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound]))
                rest = rest[end.upperBound...]
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

    private static func flush(_ current: inout String, into tokens: inout [String]) {
        if !current.isEmpty { tokens.append(current) }
        current = ""
    }

    private static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
