import CNetlink

#if canImport(Glibc)
import Glibc
#endif

/// Adding and removing interface addresses.
extension RouteSocket {
    /// Adds `cidr` (e.g. "192.168.10.1/24") to link `name`; the broadcast address is derived as `ip addr add
    /// ... brd +` would.
    public func addAddress(_ cidr: String, to name: String) throws {
        let (address, _) = try addressObject(cidr, on: name)
        defer { rtnl_addr_put(address) }
        try check(rtnl_addr_add(socket, address, CNL_NLM_F_CREATE | CNL_NLM_F_EXCL), "add address \(cidr) to \(name)")
    }

    /// Removes `cidr` from link `name`; an address that is already gone is not an error.
    public func deleteAddress(_ cidr: String, from name: String) throws {
        let (address, _) = try addressObject(cidr, on: name)
        defer { rtnl_addr_put(address) }
        try checkDeleted(
            rtnl_addr_delete(socket, address, 0), "delete address \(cidr) from \(name)", alsoGone: [NLE_NOADDR])
    }

    private func addressObject(_ cidr: String, on name: String) throws -> (OpaquePointer, Int32) {
        let link = try kernelLink(name)
        let index = rtnl_link_get_ifindex(link)
        rtnl_link_put(link)
        var local: OpaquePointer?
        let parsed = nl_addr_parse(cidr, AF_INET, &local)
        guard parsed >= 0, let local else { throw NetlinkError.libnl("parse address \(cidr)", parsed) }
        defer { nl_addr_put(local) }
        guard let address = rtnl_addr_alloc() else { throw NetlinkError.outOfMemory }
        rtnl_addr_set_ifindex(address, index)
        rtnl_addr_set_family(address, AF_INET)
        _ = rtnl_addr_set_local(address, local)
        let prefix = nl_addr_get_prefixlen(local)
        if prefix < 31, let broadcast = nl_addr_clone(local) {
            // Host bits all ones, as `brd +` sets them.
            let bytes = nl_addr_get_binary_addr(broadcast)!.assumingMemoryBound(to: UInt8.self)
            for bit in Int(prefix)..<32 { bytes[bit / 8] |= UInt8(0x80) >> UInt8(bit % 8) }
            _ = rtnl_addr_set_broadcast(address, broadcast)
            nl_addr_put(broadcast)
        }
        return (address, index)
    }
}
