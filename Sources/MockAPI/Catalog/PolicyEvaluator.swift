import ConnectorAPI

/// Runs a checked policy against catalog resources. Total: the parser already rejected every type error,
/// and an absent attribute or tag is null (equal only to null, no prefix, in no list).
enum PolicyEvaluator {
    static func matches(_ policy: PolicyExpr, _ resource: CatalogResource) -> Bool {
        evaluate(policy, resource) == .bool(true)
    }

    /// The resources of `catalog` the policy selects, in catalog order.
    static func select(_ policy: PolicyExpr, from catalog: [CatalogResource]) -> [CatalogResource] {
        catalog.filter { matches(policy, $0) }
    }

    static func evaluate(_ expr: PolicyExpr, _ resource: CatalogResource) -> PolicyValue {
        switch expr {
        case .literal(let value):
            return value
        case .attribute(let name):
            return CatalogAttributes.value(name, of: resource)
        case .tag(let key):
            return resource.tags?[key].map(PolicyValue.string) ?? .null
        case .not(let operand):
            return .bool(!truth(operand, resource))
        case .and(let lhs, let rhs):
            return .bool(truth(lhs, resource) && truth(rhs, resource))
        case .or(let lhs, let rhs):
            return .bool(truth(lhs, resource) || truth(rhs, resource))
        case .equal(let lhs, let rhs, let negated):
            return .bool((evaluate(lhs, resource) == evaluate(rhs, resource)) != negated)
        case .inSet(let needle, let values):
            return .bool(values.contains(evaluate(needle, resource)))
        case .inList(let needle, let list):
            guard case .string(let value) = evaluate(needle, resource), case .list(let items) = evaluate(list, resource) else { return .bool(false) }
            return .bool(items.contains(value))
        case .hasKey(let needle, let map):
            guard case .string(let key) = evaluate(needle, resource), case .map(let tags) = evaluate(map, resource) else { return .bool(false) }
            return .bool(tags[key] != nil)
        case .call(let function, let arguments):
            return call(function, arguments.map { evaluate($0, resource) })
        }
    }

    private static func truth(_ expr: PolicyExpr, _ resource: CatalogResource) -> Bool {
        evaluate(expr, resource) == .bool(true)
    }

    private static func call(_ function: PolicyFunction, _ arguments: [PolicyValue]) -> PolicyValue {
        func text(_ index: Int) -> String? {
            if case .string(let value) = arguments[index] { return value }
            return nil
        }
        switch function {
        case .startsWith, .endsWith, .contains:
            guard let value = text(0), let part = text(1) else { return .bool(false) }
            switch function {
            case .startsWith: return .bool(value.hasPrefix(part))
            case .endsWith: return .bool(value.hasSuffix(part))
            default: return .bool(part.isEmpty || value.contains(part))
            }
        case .lower:
            return text(0).map { .string($0.lowercased()) } ?? .null
        case .upper:
            return text(0).map { .string($0.uppercased()) } ?? .null
        case .has:
            switch arguments[0] {
            case .null: return .bool(false)
            case .list(let items): return .bool(!items.isEmpty)
            case .map(let tags): return .bool(!tags.isEmpty)
            default: return .bool(true)
            }
        case .inCidr:
            guard let network = text(1).flatMap({ IPPrefix($0) }) else { return .bool(false) }
            let candidates: [String]
            switch arguments[0] {
            case .string(let value): candidates = [value]
            case .list(let items): candidates = items
            default: candidates = []
            }
            return .bool(candidates.contains { IPPrefix($0).map(network.contains) ?? false })
        }
    }
}
