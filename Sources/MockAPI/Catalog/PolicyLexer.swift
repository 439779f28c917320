/// A policy that does not parse or type-check: what was wrong and where (1-based character position).
struct PolicyError: Error, Equatable, CustomStringConvertible {
    let message: String
    let position: Int
    /// What would be valid there (e.g. the attribute names), after the position.
    var hint: String? = nil

    var description: String { "\(message) at position \(position)" + (hint.map { "; \($0)" } ?? "") }
}

/// One token of a policy; `position` is the 1-based index of its first character.
struct PolicyToken: Equatable {
    enum Kind: Equatable {
        case identifier(String)
        case string(String)
        case leftParen, rightParen, leftBracket, rightBracket, comma, dot
        case equal, notEqual, and, or, not
        case end
    }

    let kind: Kind
    let position: Int
}

/// Splits a policy into tokens. Strings take single or double quotes with `\` escapes.
enum PolicyLexer {
    static func tokens(_ text: String) throws(PolicyError) -> [PolicyToken] {
        let chars = Array(text)
        var tokens: [PolicyToken] = []
        var index = 0
        func token(_ kind: PolicyToken.Kind, at start: Int) { tokens.append(PolicyToken(kind: kind, position: start + 1)) }
        func next(is expected: Character) -> Bool { index + 1 < chars.count && chars[index + 1] == expected }

        while index < chars.count {
            let char = chars[index]
            let start = index
            switch char {
            case " ", "\t", "\n", "\r":
                index += 1
            case "(": token(.leftParen, at: start); index += 1
            case ")": token(.rightParen, at: start); index += 1
            case "[": token(.leftBracket, at: start); index += 1
            case "]": token(.rightBracket, at: start); index += 1
            case ",": token(.comma, at: start); index += 1
            case ".": token(.dot, at: start); index += 1
            case "=":
                guard next(is: "=") else { throw PolicyError(message: "'=' is not an operator (did you mean '=='?)", position: start + 1) }
                token(.equal, at: start); index += 2
            case "!":
                if next(is: "=") { token(.notEqual, at: start); index += 2 } else { token(.not, at: start); index += 1 }
            case "&":
                guard next(is: "&") else { throw PolicyError(message: "'&' is not an operator (did you mean '&&'?)", position: start + 1) }
                token(.and, at: start); index += 2
            case "|":
                guard next(is: "|") else { throw PolicyError(message: "'|' is not an operator (did you mean '||'?)", position: start + 1) }
                token(.or, at: start); index += 2
            case "'", "\"":
                var value = ""
                index += 1
                var closed = false
                while index < chars.count {
                    let c = chars[index]
                    if c == char { closed = true; index += 1; break }
                    if c == "\\" {
                        guard index + 1 < chars.count else { break }
                        switch chars[index + 1] {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        case "\\", "'", "\"": value.append(chars[index + 1])
                        default:
                            throw PolicyError(message: "unknown escape '\\\(chars[index + 1])' in string", position: index + 1)
                        }
                        index += 2
                        continue
                    }
                    value.append(c)
                    index += 1
                }
                guard closed else { throw PolicyError(message: "unterminated string (opened with \(char))", position: start + 1) }
                token(.string(value), at: start)
            case _ where char == "_" || (char.isASCII && char.isLetter):
                var name = ""
                while index < chars.count, chars[index] == "_" || (chars[index].isASCII && (chars[index].isLetter || chars[index].isNumber)) {
                    name.append(chars[index])
                    index += 1
                }
                token(.identifier(name), at: start)
            case _ where char.isASCII && char.isNumber:
                throw PolicyError(message: "numbers are not values in a policy (every attribute is text: quote it, e.g. '10')", position: start + 1)
            default:
                throw PolicyError(message: "unexpected character '\(char)'", position: start + 1)
            }
        }
        tokens.append(PolicyToken(kind: .end, position: chars.count + 1))
        return tokens
    }
}
