import Foundation

/// The documented field tree of a seed section ("- `name: optional array of { a, b, 3 more }`" lines),
/// parsed the way the reference lays it out: an object's children follow it, as many as its header counts.
struct SeedField: Equatable {
    var name: String
    var optional: Bool
    var type: String
    var children: [SeedField]?
}

enum SeedSchema {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The committed copy of a seed section (fixtures/seeds), always present.
    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: packageRoot.appendingPathComponent("fixtures/seeds/\(name)"), encoding: .utf8)
    }

    /// The seed document in ../shared beside the clone, when present.
    static func sharedSeed() -> String? {
        let seeds = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/seeds")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: seeds.path),
              let readable = names.first(where: { $0.hasSuffix(".readable.md") && $0.hasPrefix("003_") })
        else { return nil }
        return try? String(contentsOf: seeds.appendingPathComponent(readable), encoding: .utf8)
    }

    /// The lines of one "## Title **get**" section up to its example, from a whole seed document.
    static func section(_ title: String, in document: String) -> String? {
        let lines = document.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("## \(title) **get**") }),
              let end = lines[(start + 1)...].firstIndex(where: { $0.hasPrefix("### Example") })
        else { return nil }
        return lines[start..<end].joined(separator: "\n") + "\n"
    }

    /// The fields of the `result: { ... }` object in a section.
    static func resultFields(in section: String) throws -> [SeedField] {
        let lines = section.components(separatedBy: "\n")
        guard let header = lines.firstIndex(where: { $0.hasPrefix("- `result: {") }) else {
            throw SeedError("no result line")
        }
        var position = header + 1
        return try parse(count: memberCount(of: lines[header]), lines: lines, position: &position)
    }

    private static func parse(count: Int, lines: [String], position: inout Int) throws -> [SeedField] {
        var fields: [SeedField] = []
        for _ in 0..<count {
            let line = lines[position]
            position += 1
            guard line.hasPrefix("- `"), let close = line.dropFirst(3).firstIndex(of: "`") else { throw SeedError("unexpected line \(line)") }
            let declaration = line[line.index(line.startIndex, offsetBy: 3)..<close]
            guard let colon = declaration.firstIndex(of: ":") else { throw SeedError("no type in \(line)") }
            let name = String(declaration[..<colon])
            var type = declaration[declaration.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            let optional = type.hasPrefix("optional ")
            if optional { type.removeFirst("optional ".count) }
            var field = SeedField(name: name, optional: optional, type: type, children: nil)
            if type.hasPrefix("array of {") {
                field.children = try parse(count: memberCount(of: type), lines: lines, position: &position)
            }
            fields.append(field)
        }
        return fields
    }

    /// "{ a, b, 3 more }" has 5 members.
    private static func memberCount(of text: String) -> Int {
        guard let open = text.firstIndex(of: "{"), let close = text.lastIndex(of: "}") else { return 0 }
        let parts = text[text.index(after: open)..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if let last = parts.last, last.hasSuffix(" more"), let extra = Int(last.dropLast(" more".count)) {
            return parts.count - 1 + extra
        }
        return parts.count
    }

    /// A JSON object with every documented field set to a value of its documented type.
    static func exampleObject(_ fields: [SeedField]) -> [String: Any] {
        var object: [String: Any] = [:]
        for field in fields {
            if let children = field.children {
                object[field.name] = [exampleObject(children)]
            } else if field.type == "string" {
                object[field.name] = "x"
            } else if field.type == "boolean" {
                object[field.name] = true
            } else {
                object[field.name] = 1
            }
        }
        return object
    }

    /// The key tree of a JSON value: object keys, recursing into arrays of objects.
    static func keyTree(_ value: Any) -> [String: Any] {
        guard let object = value as? [String: Any] else { return [:] }
        var tree: [String: Any] = [:]
        for (key, child) in object {
            if let array = child as? [Any], let first = array.first as? [String: Any] {
                tree[key] = keyTree(first)
            } else {
                tree[key] = true
            }
        }
        return tree
    }
}

struct SeedError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
