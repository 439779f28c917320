import CNetlink
#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 policy-routing rule "from `source` lookup `table`" (`ip rule`), marked with vconnector's protocol.
public struct RoutingRule: Sendable, Equatable, Hashable {
    public var priority: UInt32
    /// The source prefix the rule matches, e.g. `203.0.113.2/32`.
    public var source: String
    public var table: UInt32

    public init(priority: UInt32, source: String, table: UInt32) {
        self.priority = priority
        self.source = source
        self.table = table
    }
}

extension RouteSocket {
    /// The IPv4 rules that carry vconnector's protocol mark (one RTM_GETRULE dump).
    public func rules() throws -> [RoutingRule] {
        var cache: OpaquePointer?
        let result = rtnl_rule_alloc_cache(socket, AF_INET, &cache)
        guard result >= 0, let cache else { throw NetlinkError.libnl("dump rules", result) }
        defer { nl_cache_free(cache) }
        var rules: [RoutingRule] = []
        var object = nl_cache_get_first(cache)
        while let current = object {
            let rule = cnl_rule_cast(current)
            object = nl_cache_get_next(current)
            var protocolID: UInt8 = 0
            guard rtnl_rule_get_protocol(rule, &protocolID) >= 0, protocolID == Route.vconnectorProtocol,
                let source = rtnl_rule_get_src(rule), let text = Self.format(source, family: AF_INET)
            else { continue }
            rules.append(RoutingRule(priority: rtnl_rule_get_prio(rule), source: "\(text)/\(nl_addr_get_prefixlen(source))", table: rtnl_rule_get_table(rule)))
        }
        return rules
    }

    public func addRule(_ rule: RoutingRule) throws {
        let object = try ruleObject(rule)
        defer { rtnl_rule_put(object) }
        try check(rtnl_rule_add(socket, object, CNL_NLM_F_CREATE | CNL_NLM_F_EXCL), "add rule from \(rule.source) lookup \(rule.table)")
    }

    /// Deletes `rule`; one that is already gone is not an error.
    public func deleteRule(_ rule: RoutingRule) throws {
        let object = try ruleObject(rule)
        defer { rtnl_rule_put(object) }
        try checkDeleted(rtnl_rule_delete(socket, object, 0), "delete rule from \(rule.source) lookup \(rule.table)")
    }

    private func ruleObject(_ rule: RoutingRule) throws -> OpaquePointer {
        guard let object = rtnl_rule_alloc() else { throw NetlinkError.outOfMemory }
        var source: OpaquePointer?
        let parsed = nl_addr_parse(rule.source, AF_INET, &source)
        guard parsed >= 0, let source else {
            rtnl_rule_put(object)
            throw NetlinkError.libnl("parse rule source \(rule.source)", parsed)
        }
        defer { nl_addr_put(source) }
        rtnl_rule_set_family(object, AF_INET)
        rtnl_rule_set_prio(object, rule.priority)
        rtnl_rule_set_table(object, rule.table)
        rtnl_rule_set_action(object, 1)  // FR_ACT_TO_TBL
        _ = rtnl_rule_set_src(object, source)
        _ = rtnl_rule_set_protocol(object, Route.vconnectorProtocol)
        return object
    }
}
