import Foundation

/// Snapshot bodies that are almost right: every field of a base snapshot (top level and the first element of
/// each nested array) with the wrong type, null, missing, out-of-range and boundary numbers, odd strings, plus
/// extra and duplicate keys, truncations, deep nesting and whole-body oddities. For the differential test of the
/// ingest validator against JSONDecoder.
enum SnapshotMutations {
    /// A field's place: keys, with an array's first element written as index 0.
    typealias Path = [PathStep]
    enum PathStep {
        case key(String)
        case first
    }

    /// Raw JSON texts put in a field's place (all are spliced in verbatim).
    static let replacements: [String] = [
        #""x""#, #""""#, "null", "true", "false", "0", "1", "-1", "-0", "1.0", "1.5", "1e2", "1E+2", "-0.0", "01", "+1",
        ".5",
        "1.", "1e", "-", "127", "128", "255", "256", "32767", "32768", "2147483647", "2147483648", "4294967295",
        "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "99999999999999999999999", "1e400", "-1e400", "1e-400",
        "4.9e-324", "1.7976931348623157e308", "1.7976931348623159e308", "123456789012345678901234567890.5",
        "[]", "{}", "[1]", #"["x"]"#, "[null]", "[{}]", #"{"name":"x"}"#, "tru", "nul", "NaN", "Infinity",
        #""a\nb""#, #""\u00e9""#, "\"é\"", #""\ud83d\ude00""#, #""\ud800""#, #""\udc00x""#, #""\x""#, #""\'""#,
        "\"a\tb\"", "\"a\u{0}b\"", #""\u0000""#, #""a\/b""#, "\"\u{7f}\"", #""\uZZZZ""#,
        "\"" + String(repeating: "a", count: 5000) + "\"",
    ]

    /// Raw values for unknown keys.
    static let unknownValues: [String] = [
        "1", "1e400", "01", "-", "1e", #""\x""#, "\"a\tb\"", "\"\u{ff}\"", "[1,]", #"{"a":1,}"#, "{}", "[]", "null",
        "tru",
        nested(8), nested(63), nested(64), nested(65), nested(200), nested(510), nested(511), nested(512), nested(600),
    ]

    static func nested(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    /// Every mutation of `base` (a snapshot JSON object), as body texts.
    static func corpus(of base: [String: Any]) -> [String] {
        var bodies: [String] = []
        for path in paths(in: base, prefix: []) {
            let template = serialize(modify(base, path[...]) { $0 = placeholder })
            for replacement in replacements {
                bodies.append(template.replacingOccurrences(of: "\"\(placeholder)\"", with: replacement))
            }
            if let text = removing(path, in: base) { bodies.append(text) }
        }
        // Extra keys, at the top and in each nested object.
        for path in objectPaths(in: base, prefix: []) {
            for (index, value) in unknownValues.enumerated() {
                if let text = adding("zz_unknown_\(index)", raw: value, at: path, in: base) { bodies.append(text) }
            }
            if let text = adding(#"t\u0065st"#, raw: "1", at: path, in: base) { bodies.append(text) }
        }
        // Duplicate keys, first one right or wrong.
        let plain = serialize(base)
        for (key, raw) in [
            ("t", #""x""#), ("t", "1"), ("v", "1"), ("cpu_count", #""x""#), ("memory_total_bytes", "-5"),
        ] {
            bodies.append("{\"\(key)\":\(raw)," + plain.dropFirst())
            bodies.append(plain.dropLast() + ",\"\(key)\":\(raw)}")
        }
        // An escaped key that names a real field.
        if let range = plain.range(of: #""cpu_count""#) {
            bodies.append(plain.replacingCharacters(in: range, with: #""cpu\u005fcount""#))
        }
        // Truncations.
        let bytes = Array(plain.utf8)
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 150)) {
            bodies.append(String(decoding: bytes[..<cut], as: UTF8.self))
        }
        // Whole-body oddities and batches.
        bodies += [
            "", " ", "null", "[]", "[ ]", "{}", "1", #""x""#, "[1]", "[null]", "[\(plain),]", "[\(plain),\(plain)]",
            "[\(plain) \(plain)]", "\(plain) x", "\(plain)\u{0}", "\u{feff}\(plain)", " \n\t\r\(plain) \n", "\(plain),",
            "[\(plain)]", "[[\(plain)]]", "{\(plain.dropFirst())", "\(plain)}", "\(plain)]",
        ]
        let utf16 = plain.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        bodies.append(String(decoding: utf16, as: UTF8.self))
        return bodies
    }

    static func serialize(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    private static let placeholder = "@@MUTATION@@"

    private static func paths(in object: [String: Any], prefix: Path) -> [Path] {
        var result: [Path] = []
        for key in object.keys.sorted() {
            let path = prefix + [.key(key)]
            result.append(path)
            if let array = object[key] as? [Any], let first = array.first {
                result.append(path + [.first])
                if let element = first as? [String: Any] { result += paths(in: element, prefix: path + [.first]) }
            } else if let nested = object[key] as? [String: Any] {
                result += paths(in: nested, prefix: path)
            }
        }
        return result
    }

    private static func objectPaths(in object: [String: Any], prefix: Path) -> [Path] {
        var result: [Path] = [prefix]
        for key in object.keys.sorted() {
            if let array = object[key] as? [Any], let element = array.first as? [String: Any] {
                result += objectPaths(in: element, prefix: prefix + [.key(key), .first])
            }
        }
        return result
    }

    private static func modify(_ value: Any, _ path: ArraySlice<PathStep>, _ change: (inout Any?) -> Void) -> Any {
        guard let step = path.first else {
            var optional: Any? = value
            change(&optional)
            return optional ?? NSNull()
        }
        switch step {
        case .key(let key):
            guard var object = value as? [String: Any] else { return value }
            if path.count == 1 {
                var child: Any? = object[key]
                change(&child)
                object[key] = child
            } else if let child = object[key] {
                object[key] = modify(child, path.dropFirst(), change)
            }
            return object
        case .first:
            guard var array = value as? [Any], !array.isEmpty else { return value }
            if path.count == 1 {
                var child: Any? = array[0]
                change(&child)
                if let child { array[0] = child } else { array.removeFirst() }
            } else {
                array[0] = modify(array[0], path.dropFirst(), change)
            }
            return array
        }
    }

    private static func removing(_ path: Path, in base: [String: Any]) -> String? {
        serialize(modify(base, path[...]) { $0 = nil })
    }

    private static func adding(_ key: String, raw: String, at path: Path, in base: [String: Any]) -> String? {
        let marker = "zzzz_marker"
        let changed: Any
        if path.isEmpty {
            var object = base
            object[marker] = placeholder
            changed = object
        } else {
            changed = modify(base, path[...]) { value in
                guard var object = value as? [String: Any] else { return }
                object[marker] = placeholder
                value = object
            }
        }
        return serialize(changed).replacingOccurrences(
            of: "\"\(marker)\":\"\(placeholder)\"", with: "\"\(key)\":\(raw)")
    }
}
