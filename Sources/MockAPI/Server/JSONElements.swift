/// Splits a JSON text into the byte ranges of its top-level array elements (or the one top-level value), so
/// each validated element can be stored exactly as sent without re-encoding it. Assumes the text already
/// decoded successfully; only strings, escapes and nesting are tracked.
enum JSONElements {
    static func split(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        guard start < end else { return [] }
        guard bytes[start] == UInt8(ascii: "[") else { return [bytes[start..<end]] }

        var elements: [ArraySlice<UInt8>] = []
        var depth = 0
        var inString = false
        var escaped = false
        var elementStart: Int?
        for index in (start + 1)..<(end - 1) {
            let byte = bytes[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            if elementStart == nil, !isSpace(byte), byte != UInt8(ascii: ",") { elementStart = index }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ",") where depth == 0:
                if let first = elementStart { elements.append(trim(bytes, first, index)) }
                elementStart = nil
            default: break
            }
        }
        if let first = elementStart { elements.append(trim(bytes, first, end - 1)) }
        return elements
    }

    private static func trim(_ bytes: [UInt8], _ start: Int, _ end: Int) -> ArraySlice<UInt8> {
        var end = end
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
}
