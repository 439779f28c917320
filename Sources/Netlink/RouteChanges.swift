import CNetlink
#if canImport(Glibc)
import Glibc
#endif

/// Reading and changing IPv4 routes.
extension RouteSocket {
    /// Every IPv4 unicast route of the main table, and of `tables` (one RTM_GETROUTE dump), with interface names
    /// resolved from `links` (a dump the caller already made), or from a links dump of its own.
    public func routes(links: [Link]? = nil, tables: ClosedRange<UInt32>? = nil) throws -> [Route] {
        let names = Dictionary(try (links ?? self.links()).map { ($0.index, $0.name) }, uniquingKeysWith: { first, _ in first })
        var cache: OpaquePointer?
        let result = rtnl_route_alloc_cache(socket, AF_INET, 0, &cache)
        guard result >= 0, let cache else { throw NetlinkError.libnl("dump routes", result) }
        defer { nl_cache_free(cache) }
        var routes: [Route] = []
        var object = nl_cache_get_first(cache)
        while let current = object {
            let route = cnl_route_cast(current)
            object = nl_cache_get_next(current)
            let table = rtnl_route_get_table(route)
            guard table == Route.mainTable || tables?.contains(table) == true, rtnl_route_get_type(route) == 1 else { continue }  // unicast
            guard let dst = rtnl_route_get_dst(route) else { continue }
            let prefix = nl_addr_get_prefixlen(dst)
            let address = prefix == 0 ? "0.0.0.0" : (Self.format(dst, family: AF_INET) ?? "?")
            var hops: [NextHop] = []
            for index in 0..<rtnl_route_get_nnexthops(route) {
                guard let hop = rtnl_route_nexthop_n(route, index) else { continue }
                let gateway = rtnl_route_nh_get_gateway(hop).flatMap { Self.format($0, family: AF_INET) }
                hops.append(NextHop(gateway: gateway, interface: names[rtnl_route_nh_get_ifindex(hop)] ?? "?"))
            }
            routes.append(Route(
                destination: "\(address)/\(prefix)", metric: rtnl_route_get_priority(route),
                protocolID: rtnl_route_get_protocol(route), nextHops: hops, table: table))
        }
        return routes
    }

    /// Adds `route` (fails with "exists" when one with the same destination and metric is there).
    public func addRoute(_ route: Route) throws {
        let object = try routeObject(route)
        defer { rtnl_route_put(object) }
        try check(rtnl_route_add(socket, object, CNL_NLM_F_CREATE | CNL_NLM_F_EXCL), "add route \(route.destination) metric \(route.metric)")
    }

    /// Deletes `route` (matched by table, destination and metric); one that is already gone is not an error.
    public func deleteRoute(_ route: Route) throws {
        let object = try routeObject(route, withHops: false)
        defer { rtnl_route_put(object) }
        try checkDeleted(rtnl_route_delete(socket, object, 0), "delete route \(route.destination) metric \(route.metric)")
    }

    private func routeObject(_ route: Route, withHops: Bool = true) throws -> OpaquePointer {
        guard let object = rtnl_route_alloc() else { throw NetlinkError.outOfMemory }
        var destination: OpaquePointer?
        let parsed = nl_addr_parse(route.destination, AF_INET, &destination)
        guard parsed >= 0, let destination else {
            rtnl_route_put(object)
            throw NetlinkError.libnl("parse route destination \(route.destination)", parsed)
        }
        defer { nl_addr_put(destination) }
        rtnl_route_set_family(object, UInt8(AF_INET))
        _ = rtnl_route_set_dst(object, destination)
        rtnl_route_set_table(object, route.table)
        rtnl_route_set_priority(object, route.metric)
        rtnl_route_set_protocol(object, route.protocolID)
        rtnl_route_set_scope(object, 0)  // RT_SCOPE_UNIVERSE
        guard withHops else { return object }
        for hop in route.nextHops {
            guard let nextHop = rtnl_route_nh_alloc() else { rtnl_route_put(object); throw NetlinkError.outOfMemory }
            do {
                let link = try kernelLink(hop.interface)
                rtnl_route_nh_set_ifindex(nextHop, rtnl_link_get_ifindex(link))
                rtnl_link_put(link)
            } catch {
                rtnl_route_nh_free(nextHop)
                rtnl_route_put(object)
                throw error
            }
            if let gateway = hop.gateway {
                var address: OpaquePointer?
                if nl_addr_parse(gateway, AF_INET, &address) >= 0, let address {
                    rtnl_route_nh_set_gateway(nextHop, address)
                    nl_addr_put(address)
                }
            }
            rtnl_route_add_nexthop(object, nextHop)  // the route owns the hop from here
        }
        return object
    }
}
