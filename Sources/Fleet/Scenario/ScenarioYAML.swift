import ConnectorAPI
import Foundation
import Yams

/// A YAML scenario read into the same `JSONValue` tree a JSON one gives, so one reader (`ScenarioFile`) checks both.
/// YAML's own types decide: `at: 90` is a number, `at: 2h` and `version: 0.2.0` are text (`version: "1.0"` needs
/// the quotes). Duplicate keys are an error (Yams), tags beyond YAML's core schema are refused, and aliases, which
/// libyaml resolves to shared nodes, count against a node budget so a "billion laughs" file is an error, not a
/// gigabyte of memory.
enum ScenarioYAML {
    /// Far above any real scenario (a few hundred incidents of eight keys), far below what hurts.
    static let nodeBudget = 100_000

    static func parse(_ data: Data) throws -> JSONValue {
        guard let text = String(data: data, encoding: .utf8) else { throw FleetError("not UTF-8 text") }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw FleetError("not YAML: \(error)")
        }
        guard let node else { throw FleetError("(top level): empty; must be a mapping with \"incidents\"") }
        var budget = nodeBudget
        return try value(node, path: "", budget: &budget)
    }

    private static func value(_ node: Node, path: String, budget: inout Int) throws -> JSONValue {
        budget -= 1
        guard budget >= 0 else {
            throw FleetError("\(path.isEmpty ? "(top level)" : path): more than \(nodeBudget) values (aliases expanding?)")
        }
        switch node {
        case .scalar(let scalar):
            return try self.scalar(scalar, node: node, path: path)
        case .sequence(let sequence):
            try requireCoreTag(node, path: path)
            return .array(try sequence.enumerated().map { index, item in
                try value(item, path: "\(path)[\(index)]", budget: &budget)
            })
        case .mapping(let mapping):
            try requireCoreTag(node, path: path)
            var object: [String: JSONValue] = [:]
            for (key, item) in mapping {
                guard case .scalar(let keyScalar) = key, tag(of: key) == .str else {
                    throw FleetError("\(path.isEmpty ? "(top level)" : path): a key must be text")
                }
                let name = keyScalar.string
                object[name] = try value(item, path: path.isEmpty ? name : "\(path).\(name)", budget: &budget)
            }
            return .object(object)
        case .alias:
            // Yams resolves aliases while composing; an unresolved one is not a value.
            throw FleetError("\(path): an unresolved alias")
        }
    }

    private static func scalar(_ scalar: Node.Scalar, node: Node, path: String) throws -> JSONValue {
        switch tag(of: node) {
        case .null: return .null
        case .bool:
            guard let bool = node.bool else { throw FleetError("\(path): '\(scalar.string)' is not a boolean") }
            return .bool(bool)
        case .int, .float:
            guard let number = node.float, number.isFinite else {
                throw FleetError("\(path): '\(scalar.string)' is not a finite number")
            }
            return .number(number)
        case .str: return .string(scalar.string)
        default:
            throw FleetError("\(path): the tag \(node.tag.rawValue) is not allowed in a scenario")
        }
    }

    /// The node's resolved tag (Yams keeps `Tag.name` internal; its raw value is public).
    private static func tag(of node: Node) -> Tag.Name { Tag.Name(rawValue: node.tag.rawValue) }

    private static func requireCoreTag(_ node: Node, path: String) throws {
        guard tag(of: node) == .map || tag(of: node) == .seq else {
            throw FleetError("\(path.isEmpty ? "(top level)" : path): the tag \(node.tag.rawValue) is not allowed in a scenario")
        }
    }
}
