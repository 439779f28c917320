import ConnectorAPI
import Foundation

/// Reads the site config file of `vconnector site validate|apply FILE`: `{site, wans, lans, acls}`.
///
/// Strict on JSON syntax and on types (a wrong type names its JSON path), and strict on keys at every depth:
/// a key the API's objects do not have is an error with its JSON path and a "did you mean" (a typo such as
/// `lan` would otherwise silently drop every LAN, and an ACL's `protocol` would silently allow everything).
/// `connector`, which the demo file carries for the API, is ignored whole. `lenient` turns unknown keys into
/// warnings. (Configs fetched from the API are decoded leniently elsewhere, as the real API adds fields.)
public enum SiteConfigFile {
    /// A config read from a file, with what a lenient read let through.
    public struct Loaded: Sendable {
        public var config: SiteConfig
        /// One line per unknown key that `lenient` turned into a warning, e.g. `acls[0].protocol: unknown key ...`.
        public var warnings: [String]
    }

    /// Reads and decodes the file at `path`; every unknown key is an error.
    public static func load(path: String) throws(SiteConfigFileError) -> SiteConfig {
        try load(path: path, lenient: false).config
    }

    /// Reads and decodes the file at `path`; with `lenient`, unknown keys are warnings instead of an error.
    public static func load(path: String, lenient: Bool) throws(SiteConfigFileError) -> Loaded {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SiteConfigFileError(.unreadable, file: path, "no such file")
        }
        guard !isDirectory.boolValue else {
            throw SiteConfigFileError(.unreadable, file: path, "is a directory, expected a JSON file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SiteConfigFileError(.unreadable, file: path, "cannot be read (check its permissions)")
        }
        do {
            return try decode(data, lenient: lenient)
        } catch {
            var located = error
            located.file = path
            throw located
        }
    }

    /// Decodes a site config from JSON text; every unknown key is an error.
    public static func decode(_ data: Data) throws(SiteConfigFileError) -> SiteConfig {
        try decode(data, lenient: false).config
    }

    /// Decodes a site config from JSON text; with `lenient`, unknown keys are warnings instead of an error.
    public static func decode(_ data: Data, lenient: Bool) throws(SiteConfigFileError) -> Loaded {
        if data.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            throw SiteConfigFileError(.malformedJSON, "the file is empty; expected a JSON object {site, wans, lans, acls}")
        }
        let decoder = JSONDecoder()
        let root: JSONValue
        do {
            root = try decoder.decode(JSONValue.self, from: data)
        } catch {
            throw SiteConfigFileError(.malformedJSON, "not valid JSON: \(syntaxDetail(data))")
        }
        guard case .object = root else {
            throw SiteConfigFileError(
                .wrongShape, "expected a JSON object {site, wans, lans, acls}, found \(root.kindDescription)"
            )
        }
        let unknown = SiteConfigSchema.file.unknownKeys(in: root)
        if let first = unknown.first, !lenient {
            let others = unknown.dropFirst().map { $0.path + ($0.suggestion.map { " (did you mean '\($0)'?)" } ?? "") }
            throw SiteConfigFileError(
                .unknownKey, path: first.path,
                first.message + (first.path.contains(".") || first.path.contains("[") ? "" : "; a site config holds site, wans, lans and acls (and an ignored connector)")
                    + (others.isEmpty ? "" : " (also unknown: \(others.joined(separator: ", ")))")
                    + "; --lenient only warns"
            )
        }
        let warnings = unknown.map { "\($0.path): \($0.message); ignored" }
        do {
            return Loaded(config: try decoder.decode(SiteConfig.self, from: data), warnings: warnings)
        } catch let error as DecodingError {
            throw shapeError(error, root: root)
        } catch {
            throw SiteConfigFileError(.wrongShape, "\(error)")
        }
    }

    /// The parser's own words for a syntax error, its character offset turned into a line and column:
    /// "Invalid value around line 3, column 14." (JSONDecoder on Linux says only "not valid JSON").
    private static func syntaxDetail(_ data: Data) -> String {
        var detail = "the data is not in JSON format"
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        }
        let marker = "around character "
        guard let range = detail.range(of: marker) else { return detail }
        let digits = detail[range.upperBound...].prefix(while: \.isNumber)
        guard let offset = Int(digits), offset <= data.count else { return detail }
        let before = data.prefix(offset)
        let line = before.filter { $0 == 0x0A }.count + 1
        let column = offset - (before.lastIndex(of: 0x0A).map { $0 - data.startIndex + 1 } ?? 0) + 1
        return detail.replacingCharacters(
            in: range.lowerBound..<detail.index(range.upperBound, offsetBy: digits.count),
            with: "around line \(line), column \(column)"
        )
    }

    /// Turns a `DecodingError` into `path: expected X, found Y`.
    private static func shapeError(_ error: DecodingError, root: JSONValue) -> SiteConfigFileError {
        switch error {
        case .typeMismatch(let type, let context):
            let found = root.value(at: context.codingPath)?.kindDescription ?? "something else"
            return SiteConfigFileError(
                .wrongShape, path: jsonPath(context.codingPath), "expected \(describe(type)), found \(found)"
            )
        case .valueNotFound(let type, let context):
            return SiteConfigFileError(.wrongShape, path: jsonPath(context.codingPath), "expected \(describe(type)), found null")
        case .keyNotFound(let key, let context):
            return SiteConfigFileError(.wrongShape, path: jsonPath(context.codingPath + [key]), "required but missing")
        case .dataCorrupted(let context):
            // Valid JSON that does not decode: a number no Int holds (every number of a site config is an
            // integer). Foundation on Linux gives no path for it, so find the number.
            let found = context.codingPath.isEmpty ? root.firstNonInteger() : nil
            if let (codingPath, value) = found {
                return SiteConfigFileError(
                    .wrongShape, path: jsonPath(codingPath), "expected an integer, found \(value.kindDescription)"
                )
            }
            let path = context.codingPath.isEmpty ? nil : jsonPath(context.codingPath)
            return SiteConfigFileError(.wrongShape, path: path, context.debugDescription)
        @unknown default:
            return SiteConfigFileError(.wrongShape, "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "a boolean (true or false)"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Dictionary") || name.hasPrefix("[String") { return "an object" }
            if name.hasPrefix("Array") || name.hasPrefix("[") { return "an array" }
            return name
        }
    }

    /// `lans[1].static_addressing.dhcp_server.reservations["02:00:00:00:10:0a"]`
    static func jsonPath(_ codingPath: [any CodingKey]) -> String {
        var path = ""
        for key in codingPath {
            if let index = key.intValue {
                path += "[\(index)]"
            } else if key.stringValue.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
                path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
            } else {
                path += "[\"\(key.stringValue)\"]"
            }
        }
        return path
    }
}

/// Why a site config file could not be read, with the JSON path when the problem is at one.
public struct SiteConfigFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Missing, a directory, or not readable.
        case unreadable
        /// Not JSON at all.
        case malformedJSON
        /// JSON, but not the shape of a site config: a wrong type, a missing required key, a top level not an object.
        case wrongShape
        /// A key the API's objects do not have.
        case unknownKey
    }

    /// A stable code for scripts (`--json`): `unreadable_file`, `malformed_json`, `wrong_shape`, `unknown_key`.
    public var code: String {
        switch kind {
        case .unreadable: "unreadable_file"
        case .malformedJSON: "malformed_json"
        case .wrongShape: "wrong_shape"
        case .unknownKey: "unknown_key"
        }
    }

    public var kind: Kind
    /// The file, when the config came from one.
    public var file: String?
    /// JSON path of the offending value, e.g. `lans[1].physport`.
    public var path: String?
    public var message: String

    public init(_ kind: Kind, file: String? = nil, path: String? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.path = path
        self.message = message
    }

    /// `site.json: lans[1].physport: expected an integer, found a string ("3")`
    public var description: String {
        [file, path.map { TextRules.printable($0, limit: 200) }, TextRules.printable(message, limit: 600)].compactMap { $0 }.joined(separator: ": ")
    }
}

/// Read first to tell bad syntax from a bad shape and to say what a mistyped field holds.
extension JSONValue {
    /// The value at a decoder's coding path, if it exists.
    func value(at path: [any CodingKey]) -> JSONValue? {
        var current = self
        for key in path {
            switch current {
            case .array(let items):
                guard let index = key.intValue, items.indices.contains(index) else { return nil }
                current = items[index]
            case .object(let members):
                guard let next = members[key.stringValue] else { return nil }
                current = next
            default:
                return nil
            }
        }
        return current
    }

    /// The first number that is not an integer an `Int` holds (outside the ignored `connector`), with its path.
    func firstNonInteger(at path: [any CodingKey] = []) -> ([any CodingKey], JSONValue)? {
        switch self {
        case .number(let value):
            return value == value.rounded() && abs(value) < 9.2e18 ? nil : (path, self)
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = item.firstNonInteger(at: path + [PathKey(index)]) { return found }
            }
        case .object(let members):
            for key in members.keys.sorted() where !(path.isEmpty && key == "connector") {
                if let found = members[key]!.firstNonInteger(at: path + [PathKey(key)]) { return found }
            }
        default:
            break
        }
        return nil
    }

    /// "a string (\"3\")", "an object", "null" ...
    var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return "a boolean (\(value))"
        case .number(let value):
            let text = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
            return "a number (\(text))"
        case .string(let value): return "a string (\"\(value.count > 40 ? String(value.prefix(40)) + "…" : value)\")"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// A coding key for paths built by hand.
struct PathKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(_ index: Int) {
        stringValue = "\(index)"
        intValue = index
    }

    init(_ key: String) {
        stringValue = key
        intValue = nil
    }

    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(intValue) }
}
