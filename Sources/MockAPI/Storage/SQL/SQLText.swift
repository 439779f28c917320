/// SQL text walked a character at a time, each marked as code or not: inside a quoted literal or identifier
/// (`'...'`, `"..."`) or a `--` comment it is not. Placeholders (`?`) and the ends of a migration's statements
/// (`;`) are looked for in code only; this is the one place that knows where code is.
enum SQLText {
    static func forEachCharacter(in sql: String, _ visit: (Character, _ inCode: Bool) -> Void) {
        var quote: Character?
        var comment = false
        var previous: Character = " "
        for character in sql {
            var inCode = false
            if comment {
                if character == "\n" { comment = false }
            } else if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "-" && previous == "-" {
                comment = true
            } else {
                inCode = true
            }
            visit(character, inCode)
            previous = character
        }
    }
}
