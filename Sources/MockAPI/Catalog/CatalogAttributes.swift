import ConnectorAPI

/// A value during policy evaluation. Absent attributes and tags are `null`.
enum PolicyValue: Equatable, Sendable {
    case string(String)
    case bool(Bool)
    case list([String])
    case map([String: String])
    case null
}

/// The static type of an expression; strings may be null at run time (an absent attribute or tag).
enum PolicyType: String, Equatable, Sendable {
    case string, bool, list, map, null

    var noun: String {
        switch self {
        case .string: "a string"
        case .bool: "a boolean"
        case .list: "a list"
        case .map: "a map"
        case .null: "null"
        }
    }
}

/// The attributes a policy can name, with their types, and how to read them from a catalog resource.
enum CatalogAttributes {
    static let types: [String: PolicyType] = [
        "id": .string, "kind": .string, "name": .string, "cloud_type": .string, "cloud_account": .string,
        "region": .string, "native_id": .string, "parent_id": .string, "discovered_at": .string,
        "cidrs": .list, "ips": .list, "tags": .map,
    ]

    static var names: [String] { types.keys.sorted() }

    static func value(_ name: String, of resource: CatalogResource) -> PolicyValue {
        func text(_ value: String?) -> PolicyValue { value.map(PolicyValue.string) ?? .null }
        switch name {
        case "id": return .string(resource.id)
        case "kind": return .string(resource.kind)
        case "name": return text(resource.name)
        case "cloud_type": return text(resource.cloudType)
        case "cloud_account": return text(resource.cloudAccount)
        case "region": return text(resource.region)
        case "native_id": return text(resource.nativeId)
        case "parent_id": return text(resource.parentId)
        case "discovered_at": return text(resource.discoveredAt)
        case "cidrs": return .list(resource.cidrs ?? [])
        case "ips": return .list(resource.ips ?? [])
        case "tags": return .map(resource.tags ?? [:])
        default: return .null
        }
    }

    /// The known name closest to `name` (edit distance ≤ 2), for "did you mean" hints.
    static func suggestion(for name: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(name.lowercased(), $0)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
