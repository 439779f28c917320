import ConnectorAPI

/// Where a token sits in a JSON text (`mounts[2].name`, `[1].t`), for error messages. A slow path: it runs only
/// once a check has failed, over a text that is otherwise valid JSON.
enum JSONPath {
    private enum Container {
        case object(key: String?)
        case array(index: Int)
    }

    /// The path and text of the first string (key or value) whose length in bytes as sent makes `string` true, or
    /// of the first number whose text makes `number` true.
    static func first(
        in bytes: ArraySlice<UInt8>, string: (Int) -> Bool = { _ in false }, number: (String) -> Bool = { _ in false }
    ) -> (path: String, token: String)? {
        var found: (path: String, token: String)?
        scan(bytes, string: string, stringFound: { found = $0 }) { path, token, _ in
            guard number(token) else { return true }
            found = (path, token)
            return false
        }
        return found
    }

    /// Every number of the text whose token makes `number` true, with its path and byte range (in order).
    static func numbers(in bytes: ArraySlice<UInt8>, where number: (String) -> Bool) -> [(path: String, token: String, range: Range<Int>)] {
        var found: [(path: String, token: String, range: Range<Int>)] = []
        scan(bytes, string: { _ in false }) { path, token, range in
            if number(token) { found.append((path, token, range)) }
            return true
        }
        return found
    }

    /// Walks the text: calls `onNumber` with each number's path, text and byte range (false stops the walk), and
    /// stops at the first string whose length makes `string` true (reported through `stringFound`).
    private static func scan(
        _ bytes: ArraySlice<UInt8>, string: (Int) -> Bool, stringFound: ((path: String, token: String)) -> Void = { _ in },
        onNumber: (String, String, Range<Int>) -> Bool
    ) {
        let bytes = Array(bytes)
        var stack: [Container] = []
        var index = 0
        var expectingKey = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"):
                stack.append(.object(key: nil))
                expectingKey = true
            case UInt8(ascii: "["):
                stack.append(.array(index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
            case UInt8(ascii: ","):
                if case .array(let position)? = stack.last {
                    stack[stack.count - 1] = .array(index: position + 1)
                } else {
                    expectingKey = true
                }
            case UInt8(ascii: "\""):
                let start = index + 1
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1 }
                end = min(end, bytes.count)
                let text = String(decoding: bytes[start..<end], as: UTF8.self)
                if expectingKey, !stack.isEmpty {
                    expectingKey = false
                    stack[stack.count - 1] = .object(key: string(end - start) ? "(a long key)" : text)
                }
                if string(end - start) {
                    stringFound((render(stack), text))
                    return
                }
                index = end
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var end = index + 1
                while end < bytes.count, isNumberByte(bytes[end]) { end += 1 }
                let text = String(decoding: bytes[index..<end], as: UTF8.self)
                if !onNumber(render(stack), text, index..<end) { return }
                index = end - 1
            default:
                break
            }
            index += 1
        }
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"): true
        default: false
        }
    }

    private static func render(_ stack: [Container]) -> String {
        var text = ""
        for container in stack {
            switch container {
            case .object(let key?): text += (text.isEmpty ? "" : ".") + TextRules.printable(key, limit: 64)
            case .object(nil): break
            case .array(let index): text += "[\(index)]"
            }
        }
        return text.isEmpty ? "body" : text
    }
}
