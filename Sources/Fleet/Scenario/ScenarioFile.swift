import ConnectorAPI
import Foundation

/// Reads a scenario file strictly: an unknown key, a missing or mistyped value, a bad time or an impossible choice
/// of connectors is an error naming its path (`incidents[2].duration`), found before anything runs. JSON or YAML
/// (`.yaml`/`.yml`, see `ScenarioYAML`): both become one `JSONValue` tree, checked by the same code.
public enum ScenarioFile {
    public enum Format: Sendable {
        case json, yaml

        /// By extension; otherwise JSON when the text starts with `{`, else YAML.
        static func of(path: String, data: Data) -> Format {
            let name = path.lowercased()
            if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { return .yaml }
            if name.hasSuffix(".json") { return .json }
            let first = data.first { ![UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t")].contains($0) }
            return first == UInt8(ascii: "{") ? .json : .yaml
        }
    }

    /// Larger than any real scenario; a bigger file is refused before it is parsed.
    static let maxBytes = 1 << 20

    static let topKeys: Set<String> = ["description", "incidents"]
    static let incidentKeys: Set<String> = [
        "kind", "at", "duration", "connectors", "fraction", "spread", "interface", "version",
    ]

    public static func load(path: String) throws -> Scenario {
        // At most one byte over the limit is read, so a huge file (or /dev/zero) is refused, not loaded.
        guard let file = FileHandle(forReadingAtPath: path), let data = try? file.read(upToCount: maxBytes + 1) ?? Data()
        else {
            throw FleetError("scenario \(path): cannot be read")
        }
        try? file.close()
        do {
            return try parse(data, format: Format.of(path: path, data: data))
        } catch let error as FleetError {
            throw FleetError("scenario \(path): \(error.description)")
        }
    }

    public static func parse(_ data: Data, format: Format = .json) throws -> Scenario {
        guard data.count <= maxBytes else { throw FleetError("\(data.count) bytes; a scenario is at most \(maxBytes)") }
        let root: JSONValue
        switch format {
        case .json:
            do {
                root = try JSONDecoder().decode(JSONValue.self, from: data)
            } catch {
                throw FleetError("not JSON: \(error)")
            }
        case .yaml:
            root = try ScenarioYAML.parse(data)
        }
        guard case .object(let top) = root else {
            throw FleetError("(top level): must be an object with \"incidents\"")
        }
        try rejectUnknown(top, known: topKeys, path: "")
        let description = try string(top["description"], path: "description")
        guard let list = top["incidents"] else { throw FleetError("incidents: missing (an array, [] for none)") }
        guard case .array(let items) = list else { throw FleetError("incidents: must be an array") }
        let incidents = try items.enumerated().map { index, item in try incident(item, path: "incidents[\(index)]") }
        return Scenario(description: description, incidents: incidents)
    }

    private static func incident(_ value: JSONValue, path: String) throws -> Incident {
        guard case .object(let object) = value else { throw FleetError("\(path): must be an object") }
        try rejectUnknown(object, known: incidentKeys, path: path + ".")
        let kinds = IncidentKind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let kindText = try string(object["kind"], path: path + ".kind") else {
            throw FleetError("\(path).kind: missing; one of \(kinds)")
        }
        guard let kind = IncidentKind(rawValue: kindText) else {
            throw FleetError("\(path).kind: '\(kindText)' is not an incident; use one of \(kinds)")
        }
        guard let at = try time(object["at"], path: path + ".at") else {
            throw FleetError("\(path).at: missing (an offset from the start, e.g. \"2h\")")
        }
        let duration = try time(object["duration"], path: path + ".duration")
        if kind.needsDuration, duration == nil {
            throw FleetError("\(path).duration: missing; \(kind.rawValue) lasts a while (e.g. \"10m\")")
        }
        if kind == .upgrade, duration != nil {
            throw FleetError("\(path).duration: an upgrade has none (it takes 45 s)")
        }
        if let duration, duration <= 0 { throw FleetError("\(path).duration: must be more than 0 s") }
        let spread = try time(object["spread"], path: path + ".spread") ?? 0
        var connectors: [Int]?
        switch object["connectors"] {
        case nil, .null?: connectors = nil
        case .array(let list)?:
            connectors = try list.enumerated().map { index, item in
                guard case .number(let number) = item, number >= 0, number == number.rounded(),
                    number < Double(Int32.max)
                else {
                    throw FleetError("\(path).connectors[\(index)]: must be a connector index, a whole number from 0")
                }
                return Int(number)
            }
        default: throw FleetError("\(path).connectors: must be an array of connector indexes")
        }
        let fraction = try number(object["fraction"], path: path + ".fraction")
        switch (connectors, fraction) {
        case (nil, nil):
            throw FleetError("\(path): give \"connectors\" (indexes) or \"fraction\" (0 to 1 of the fleet)")
        case (.some, .some): throw FleetError("\(path): give \"connectors\" or \"fraction\", not both")
        case (.some(let list), nil) where list.isEmpty:
            throw FleetError("\(path).connectors: empty; name at least one connector")
        case (nil, .some(let value)) where !(value > 0 && value <= 1):
            throw FleetError("\(path).fraction: \(value) is not in (0, 1]")
        default: break
        }
        let interface = try string(object["interface"], path: path + ".interface")
        if interface != nil, kind != .linkFlap, kind != .tunnelUnhealthy {
            throw FleetError("\(path).interface: only a link_flap or a tunnel_unhealthy names an interface")
        }
        // A fleet connector's tunnels are ipsec0 and ipsec1 (see TunnelModel).
        if kind == .tunnelUnhealthy, let interface, !["ipsec0", "ipsec1"].contains(interface) {
            throw FleetError("\(path).interface: a tunnel_unhealthy names ipsec0 or ipsec1")
        }
        let version = try string(object["version"], path: path + ".version")
        if kind == .upgrade, version?.isEmpty ?? true {
            throw FleetError("\(path).version: missing; the version the upgrade installs")
        }
        if kind != .upgrade, version != nil { throw FleetError("\(path).version: only an upgrade has a version") }
        return Incident(
            kind: kind, at: at, duration: duration, connectors: connectors, fraction: fraction, spread: spread,
            interface: interface, version: version
        )
    }

    /// Every incident names connectors that exist in a fleet of `count`.
    public static func check(_ scenario: Scenario, connectorCount count: Int) throws {
        for (index, incident) in scenario.incidents.enumerated() {
            for (position, connector) in (incident.connectors ?? []).enumerated() where connector >= count {
                throw FleetError(
                    "incidents[\(index)].connectors[\(position)]: connector \(connector) does not exist in a fleet of \(count) (indexes 0 to \(count - 1))"
                )
            }
        }
    }

    private static func rejectUnknown(_ object: [String: JSONValue], known: Set<String>, path: String) throws {
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw FleetError("\(path)\(unknown): unknown key; known keys: \(known.sorted().joined(separator: ", "))")
        }
    }

    private static func string(_ value: JSONValue?, path: String) throws -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw FleetError("\(path): must be a string")
        }
    }

    private static func number(_ value: JSONValue?, path: String) throws -> Double? {
        switch value {
        case nil, .null?: return nil
        case .number(let number)?: return number
        default: throw FleetError("\(path): must be a number")
        }
    }

    /// A time offset: seconds as a number, or a duration text ("90s", "15m", "2h", "1d").
    private static func time(_ value: JSONValue?, path: String) throws -> Double? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?:
            guard let seconds = FleetDuration.seconds(text) else {
                throw FleetError(
                    "\(path): '\(text)' is not a time; write seconds or a number with ms, s, m, h or d (\"90s\", \"2h\")"
                )
            }
            return seconds
        case .number(let number)? where number.isFinite && number >= 0: return number
        default: throw FleetError("\(path): must be a time: seconds from 0, or a text like \"2h\"")
        }
    }
}
