import CNetlink
#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 policy-routing rule "[iif `inputInterface`] from `source` [to `destination`] lookup `table`"
/// (`ip rule`), marked with vconnector's protocol.
public struct RoutingRule: Sendable, Equatable, Hashable {
    public var priority: UInt32
    /// The source prefix the rule matches, e.g. `203.0.113.2/32`.
    public var source: String
    public var destination: String?
    /// The interface the packet came in on (forwarded traffic only).
    public var inputInterface: String?
    public var table: UInt32

    public init(priority: UInt32, source: String, destination: String? = nil, inputInterface: String? = nil, table: UInt32) {
        self.priority = priority
        self.source = source
        self.destination = destination
        self.inputInterface = inputInterface
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
            let destination = rtnl_rule_get_dst(rule).flatMap { address in
                Self.format(address, family: AF_INET).map { "\($0)/\(nl_addr_get_prefixlen(address))" }
            }
            rules.append(RoutingRule(
                priority: rtnl_rule_get_prio(rule), source: "\(text)/\(nl_addr_get_prefixlen(source))", destination: destination,
                inputInterface: rtnl_rule_get_iif(rule).map { String(cString: $0) }, table: rtnl_rule_get_table(rule)))
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
        if let destination = rule.destination {
            var address: OpaquePointer?
            let parsed = nl_addr_parse(destination, AF_INET, &address)
            guard parsed >= 0, let address else {
                rtnl_rule_put(object)
                throw NetlinkError.libnl("parse rule destination \(destination)", parsed)
            }
            _ = rtnl_rule_set_dst(object, address)
            nl_addr_put(address)
        }
        if let interface = rule.inputInterface { _ = rtnl_rule_set_iif(object, interface) }
        rtnl_rule_set_family(object, AF_INET)
        rtnl_rule_set_prio(object, rule.priority)
        rtnl_rule_set_table(object, rule.table)
        rtnl_rule_set_action(object, 1)  // FR_ACT_TO_TBL
        _ = rtnl_rule_set_src(object, source)
        _ = rtnl_rule_set_protocol(object, Route.vconnectorProtocol)
        return object
    }
}
