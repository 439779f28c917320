import ConnectorAPI

/// A parsed, type-checked policy expression.
indirect enum PolicyExpr: Equatable, Sendable {
    case literal(PolicyValue)
    case attribute(String)
    case tag(String)
    case not(PolicyExpr)
    case and(PolicyExpr, PolicyExpr)
    case or(PolicyExpr, PolicyExpr)
    case equal(PolicyExpr, PolicyExpr, negated: Bool)
    /// `x in ('a', 'b')`.
    case inSet(PolicyExpr, [PolicyValue])
    /// `x in cidrs`: an element of a list attribute.
    case inList(PolicyExpr, PolicyExpr)
    /// `'env' in tags`: a key of the tags.
    case hasKey(PolicyExpr, PolicyExpr)
    case call(PolicyFunction, [PolicyExpr])
}

/// The functions a policy can call, as `f(x, ...)` or as a method `x.f(...)`.
enum PolicyFunction: String, CaseIterable, Sendable {
    case startsWith, endsWith, contains, lower, upper, has, inCidr
}

/// Parses and type-checks a policy: `kind in ('aws_vpc','azurerm_virtual_network') && tags.env == 'prod'`.
///
/// Grammar (loosest first): `||`, `&&`, `!`, then a comparison `a == b`, `a != b`, `a in (...)`,
/// `a in cidrs|ips|tags`; operands are string literals, `true`, `false`, `null`, attributes, `tags.key` or
/// `tags['key']`, function calls and parentheses. Every error names its 1-based character position.
struct PolicyParser {
    static let maxLength = 4096
    /// Nesting bound, so a hostile policy cannot exhaust the stack.
    static let maxDepth = 64

    private let tokens: [PolicyToken]
    private var index = 0
    private var depth = 0

    /// The checked expression of a policy; the whole policy must be a boolean.
    static func parse(_ text: String) throws(PolicyError) -> PolicyExpr {
        guard text.count <= maxLength else {
            throw PolicyError(message: "the policy is longer than \(maxLength) characters", position: maxLength + 1)
        }
        var parser = PolicyParser(tokens: try PolicyLexer.tokens(text))
        guard parser.peek.kind != .end else { throw PolicyError(message: "the policy is empty", position: 1) }
        let (expr, type) = try parser.parseOr()
        guard parser.peek.kind == .end else { throw parser.unexpected("an operator ('&&', '||', '==', '!=', 'in') or the end") }
        guard type == .bool else {
            throw PolicyError(message: "the policy must be a condition (true or false), but it is \(type.noun)", position: 1)
        }
        return expr
    }

    private init(tokens: [PolicyToken]) { self.tokens = tokens }

    private var peek: PolicyToken { tokens[index] }
    private mutating func advance() -> PolicyToken { defer { index += 1 }; return tokens[index] }

    private func unexpected(_ expected: String) -> PolicyError {
        let found: String
        switch peek.kind {
        case .end: found = "end of policy"
        case .identifier(let name): found = "'\(name)'"
        case .string(let value): found = "string '\(value)'"
        case .leftParen: found = "'('"
        case .rightParen: found = "')'"
        case .leftBracket: found = "'['"
        case .rightBracket: found = "']'"
        case .comma: found = "','"
        case .dot: found = "'.'"
        case .equal: found = "'=='"
        case .notEqual: found = "'!='"
        case .and: found = "'&&'"
        case .or: found = "'||'"
        case .not: found = "'!'"
        }
        return PolicyError(message: "expected \(expected), found \(found)", position: peek.position)
    }

    private mutating func expect(_ kind: PolicyToken.Kind, _ what: String) throws(PolicyError) {
        guard peek.kind == kind else { throw unexpected(what) }
        index += 1
    }

    private mutating func nested<T>(_ body: (inout PolicyParser) throws(PolicyError) -> T) throws(PolicyError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw PolicyError(message: "the policy nests deeper than \(Self.maxDepth) levels", position: peek.position) }
        return try body(&self)
    }

    private func requireBool(_ type: PolicyType, _ position: Int, _ op: String) throws(PolicyError) {
        guard type == .bool else { throw PolicyError(message: "'\(op)' needs conditions on both sides, but this is \(type.noun)", position: position) }
    }

    private mutating func parseOr() throws(PolicyError) -> (PolicyExpr, PolicyType) {
        let start = peek.position
        var (lhs, type) = try parseAnd()
        while peek.kind == .or {
            index += 1
            try requireBool(type, start, "||")
            let rhsStart = peek.position
            let (rhs, rhsType) = try parseAnd()
            try requireBool(rhsType, rhsStart, "||")
            lhs = .or(lhs, rhs)
            type = .bool
        }
        return (lhs, type)
    }

    private mutating func parseAnd() throws(PolicyError) -> (PolicyExpr, PolicyType) {
        let start = peek.position
        var (lhs, type) = try parseUnary()
        while peek.kind == .and {
            index += 1
            try requireBool(type, start, "&&")
            let rhsStart = peek.position
            let (rhs, rhsType) = try parseUnary()
            try requireBool(rhsType, rhsStart, "&&")
            lhs = .and(lhs, rhs)
            type = .bool
        }
        return (lhs, type)
    }

    private mutating func parseUnary() throws(PolicyError) -> (PolicyExpr, PolicyType) {
        guard peek.kind == .not else { return try parseComparison() }
        index += 1
        let start = peek.position
        let (operand, type) = try nested { (parser: inout PolicyParser) throws(PolicyError) in try parser.parseUnary() }
        guard type == .bool else { throw PolicyError(message: "'!' needs a condition, but this is \(type.noun)", position: start) }
        return (.not(operand), .bool)
    }

    private mutating func parseComparison() throws(PolicyError) -> (PolicyExpr, PolicyType) {
        let start = peek.position
        let (lhs, lhsType) = try parsePostfix()
        switch peek.kind {
        case .equal, .notEqual:
            let op = advance()
            let symbol = op.kind == .equal ? "==" : "!="
            let rhsStart = peek.position
            let (rhs, rhsType) = try parsePostfix()
            for (type, position) in [(lhsType, start), (rhsType, rhsStart)] where type == .list || type == .map {
                throw PolicyError(message: "'\(symbol)' compares single values, but this is \(type.noun) (use 'x in \(type == .list ? "cidrs" : "tags")')", position: position)
            }
            if lhsType != rhsType, lhsType != .null, rhsType != .null {
                throw PolicyError(message: "'\(symbol)' compares \(lhsType.noun) with \(rhsType.noun)", position: op.position)
            }
            return (.equal(lhs, rhs, negated: op.kind == .notEqual), .bool)
        case .identifier("in"):
            let op = advance()
            guard lhsType == .string || lhsType == .null else {
                throw PolicyError(message: "the left side of 'in' must be a string, but it is \(lhsType.noun)", position: start)
            }
            if peek.kind == .leftParen || peek.kind == .leftBracket {
                return (.inSet(lhs, try parseLiteralList()), .bool)
            }
            let rhsStart = peek.position
            let (rhs, rhsType) = try parsePostfix()
            switch rhsType {
            case .list: return (.inList(lhs, rhs), .bool)
            case .map: return (.hasKey(lhs, rhs), .bool)
            default:
                throw PolicyError(
                    message: "'in' needs a list ('(...)', cidrs, ips) or tags on its right, but this is \(rhsType.noun)",
                    position: rhsStart == op.position ? op.position : rhsStart
                )
            }
        default:
            return (lhs, lhsType)
        }
    }

    /// `('a', 'b')` or `['a', 'b']`: literals only.
    private mutating func parseLiteralList() throws(PolicyError) -> [PolicyValue] {
        let open = advance()
        let close: PolicyToken.Kind = open.kind == .leftParen ? .rightParen : .rightBracket
        let closeText = close == .rightParen ? "')'" : "']'"
        var values: [PolicyValue] = []
        if peek.kind == close { throw PolicyError(message: "the list after 'in' is empty", position: peek.position) }
        while true {
            switch peek.kind {
            case .string(let value): values.append(.string(value))
            case .identifier("true"): values.append(.bool(true))
            case .identifier("false"): values.append(.bool(false))
            case .identifier("null"): values.append(.null)
            default: throw unexpected("a quoted value in the list")
            }
            index += 1
            if peek.kind == .comma { index += 1; continue }
            try expect(close, "',' or \(closeText)")
            return values
        }
    }

    /// A primary followed by method calls: `name.startsWith('prod')`, `tags.env.lower()`.
    private mutating func parsePostfix() throws(PolicyError) -> (PolicyExpr, PolicyType) {
        var (expr, type) = try parsePrimary()
        while peek.kind == .dot {
            let dot = advance()
            guard case .identifier(let name) = peek.kind else { throw unexpected("a function name after '.'") }
            let nameToken = advance()
            guard peek.kind == .leftParen else {
                throw PolicyError(message: "'.\(name)' is not a field here (only tags have fields: tags.\(name))", position: dot.position)
            }
            let function = try lookupFunction(name, at: nameToken.position)
            (expr, type) = try parseCall(function, at: nameToken.position, receiver: (expr, type))
        }
        return (expr, type)
    }

    private mutating func parsePrimary() throws(PolicyError) -> (PolicyExpr, PolicyType) {
        let token = peek
        switch token.kind {
        case .string(let value):
            index += 1
            return (.literal(.string(value)), .string)
        case .leftParen:
            index += 1
            let inner = try nested { (parser: inout PolicyParser) throws(PolicyError) in try parser.parseOr() }
            try expect(.rightParen, "')'")
            return inner
        case .identifier("true"): index += 1; return (.literal(.bool(true)), .bool)
        case .identifier("false"): index += 1; return (.literal(.bool(false)), .bool)
        case .identifier("null"): index += 1; return (.literal(.null), .null)
        case .identifier("in"):
            throw PolicyError(message: "'in' needs a value on its left", position: token.position)
        case .identifier(let name):
            index += 1
            if peek.kind == .leftParen {
                return try parseCall(try lookupFunction(name, at: token.position), at: token.position, receiver: nil)
            }
            if name == "tags", peek.kind == .dot || peek.kind == .leftBracket {
                return (.tag(try parseTagKey()), .string)
            }
            guard let type = CatalogAttributes.types[name] else {
                var message = "unknown attribute '\(name)'"
                if let hint = CatalogAttributes.suggestion(for: name, among: CatalogAttributes.names) { message += " (did you mean '\(hint)'?)" }
                throw PolicyError(message: message, position: token.position, hint: "attributes are \(CatalogAttributes.names.joined(separator: ", "))")
            }
            return (.attribute(name), type)
        default:
            throw unexpected("a value, an attribute, '(' or '!'")
        }
    }

    /// After `tags`: `.key` or `['key with spaces']`.
    private mutating func parseTagKey() throws(PolicyError) -> String {
        if advance().kind == .dot {
            guard case .identifier(let key) = peek.kind else { throw unexpected("a tag name after 'tags.'") }
            index += 1
            return key
        }
        guard case .string(let key) = peek.kind else { throw unexpected("a quoted tag name after 'tags['") }
        index += 1
        try expect(.rightBracket, "']'")
        return key
    }

    private func lookupFunction(_ name: String, at position: Int) throws(PolicyError) -> PolicyFunction {
        guard let function = PolicyFunction(rawValue: name) else {
            let names = PolicyFunction.allCases.map(\.rawValue)
            var message = "unknown function '\(name)'"
            if let hint = CatalogAttributes.suggestion(for: name, among: names) { message += " (did you mean '\(hint)'?)" }
            throw PolicyError(message: message, position: position, hint: "functions are \(names.joined(separator: ", "))")
        }
        return function
    }

    private mutating func parseCall(
        _ function: PolicyFunction, at position: Int, receiver: (PolicyExpr, PolicyType)?
    ) throws(PolicyError) -> (PolicyExpr, PolicyType) {
        try expect(.leftParen, "'('")
        var arguments: [(PolicyExpr, PolicyType, Int)] = []
        if let receiver { arguments.append((receiver.0, receiver.1, position)) }
        if peek.kind != .rightParen {
            while true {
                let start = peek.position
                let (expr, type) = try nested { (parser: inout PolicyParser) throws(PolicyError) in try parser.parseOr() }
                arguments.append((expr, type, start))
                if peek.kind == .comma { index += 1; continue }
                break
            }
        }
        try expect(.rightParen, "',' or ')'")
        return (.call(function, arguments.map(\.0)), try Self.check(function, arguments, at: position))
    }

    /// Argument count and types of a call; its result type.
    private static func check(_ function: PolicyFunction, _ arguments: [(PolicyExpr, PolicyType, Int)], at position: Int) throws(PolicyError) -> PolicyType {
        func arity(_ count: Int, _ usage: String) throws(PolicyError) {
            guard arguments.count == count else {
                throw PolicyError(message: "\(function.rawValue) takes \(count) argument\(count == 1 ? "" : "s") (\(usage)), got \(arguments.count)", position: position)
            }
        }
        func string(_ index: Int) throws(PolicyError) {
            let (_, type, start) = arguments[index]
            guard type == .string || type == .null else {
                throw PolicyError(message: "argument \(index + 1) of \(function.rawValue) must be a string, but it is \(type.noun)", position: start)
            }
        }
        switch function {
        case .startsWith, .endsWith, .contains:
            try arity(2, "\(function.rawValue)(text, part)")
            try string(0)
            try string(1)
            return .bool
        case .lower, .upper:
            try arity(1, "\(function.rawValue)(text)")
            try string(0)
            return .string
        case .has:
            try arity(1, "has(tags.key) or has(attribute)")
            switch arguments[0].0 {
            case .attribute, .tag: return .bool
            default: throw PolicyError(message: "has() takes an attribute or a tag, e.g. has(tags.owner)", position: arguments[0].2)
            }
        case .inCidr:
            try arity(2, "inCidr(ips, '10.0.0.0/8')")
            let (_, type, start) = arguments[0]
            guard type == .string || type == .list || type == .null else {
                throw PolicyError(message: "argument 1 of inCidr must be an address or a list of them, but it is \(type.noun)", position: start)
            }
            guard case .literal(.string(let network)) = arguments[1].0 else {
                throw PolicyError(message: "argument 2 of inCidr must be a quoted CIDR such as '10.0.0.0/8'", position: arguments[1].2)
            }
            guard IPPrefix(network) != nil else {
                throw PolicyError(message: "'\(network)' is not an IPv4 or IPv6 CIDR", position: arguments[1].2)
            }
            return .bool
        }
    }
}
