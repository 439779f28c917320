import CNetlink
#if canImport(Glibc)
import Glibc
#endif

/// Creating, changing and deleting links. Every call is one rtnetlink request in the socket's namespace;
/// "already exists" and "not found" are reported as such so that callers can treat them as converged.
extension RouteSocket {
    /// Creates a bridge `name`, marked with `alias`.
    public func createBridge(name: String, alias: String) throws {
        guard let link = rtnl_link_alloc() else { throw NetlinkError.outOfMemory }
        defer { rtnl_link_put(link) }
        rtnl_link_set_name(link, name)
        rtnl_link_set_ifalias(link, alias)
        let typeResult = rtnl_link_set_type(link, "bridge")
        guard typeResult >= 0 else { throw NetlinkError.libnl("create bridge \(name)", typeResult) }
        try check(rtnl_link_add(socket, link, CNL_NLM_F_CREATE | CNL_NLM_F_EXCL), "create bridge \(name)")
    }

    /// Creates a veth pair: `name` here and `peerName` in the namespace open at `peerNamespace` (a
    /// descriptor of /run/netns/NAME; nil keeps the peer here). Both ends carry their alias;
    /// `peerMAC` pins the peer's hardware address (a lab host whose MAC has a DHCP reservation).
    public func createVeth(
        name: String, alias: String, peerName: String, peerAlias: String,
        peerNamespace: Int32? = nil, peerMAC: String? = nil
    ) throws {
        guard let link = rtnl_link_veth_alloc() else { throw NetlinkError.outOfMemory }
        defer { rtnl_link_put(link) }
        rtnl_link_set_name(link, name)
        rtnl_link_set_ifalias(link, alias)
        guard let peer = rtnl_link_veth_get_peer(link) else { throw NetlinkError.outOfMemory }
        defer { rtnl_link_put(peer) }
        rtnl_link_set_name(peer, peerName)
        rtnl_link_set_ifalias(peer, peerAlias)
        if let peerNamespace { rtnl_link_set_ns_fd(peer, peerNamespace) }
        if let peerMAC {
            var address: OpaquePointer?
            let parsed = nl_addr_parse(peerMAC, AF_LLC, &address)
            guard parsed >= 0, let address else { throw NetlinkError.libnl("parse MAC address \(peerMAC)", parsed) }
            defer { nl_addr_put(address) }
            rtnl_link_set_addr(peer, address)
        }
        try check(rtnl_link_add(socket, link, CNL_NLM_F_CREATE | CNL_NLM_F_EXCL), "create veth \(name) <-> \(peerName)")
    }

    /// Sets a link administratively up and, when given, enslaves it to bridge `master` and sets its alias
    /// (the kernel ignores IFLA_IFALIAS when a link is created, so the mark is written here).
    public func setUp(_ name: String, master: String? = nil, alias: String? = nil) throws {
        let current = try kernelLink(name)
        defer { rtnl_link_put(current) }
        guard let change = rtnl_link_alloc() else { throw NetlinkError.outOfMemory }
        defer { rtnl_link_put(change) }
        rtnl_link_set_flags(change, CNL_IFF_UP)
        if let alias { rtnl_link_set_ifalias(change, alias) }
        if let master {
            let masterLink = try kernelLink(master)
            defer { rtnl_link_put(masterLink) }
            rtnl_link_set_master(change, rtnl_link_get_ifindex(masterLink))
        }
        try check(rtnl_link_change(socket, current, change, 0), "set \(name) up")
    }

    /// Deletes link `name` (a veth takes its peer with it). A link that is already gone is not an error.
    public func deleteLink(_ name: String) throws {
        guard let link = rtnl_link_alloc() else { throw NetlinkError.outOfMemory }
        defer { rtnl_link_put(link) }
        rtnl_link_set_name(link, name)
        try checkDeleted(rtnl_link_delete(socket, link), "delete link \(name)")
    }

    /// The kernel's current object for `name` (caller releases it with rtnl_link_put).
    func kernelLink(_ name: String) throws -> OpaquePointer {
        var link: OpaquePointer?
        let result = rtnl_link_get_kernel(socket, 0, name, &link)
        guard result >= 0, let link else { throw NetlinkError.libnl("look up link \(name)", result) }
        return link
    }

    func check(_ result: Int32, _ operation: String) throws {
        guard result >= 0 else { throw NetlinkError.libnl(operation, result) }
    }

    /// Like `check`, but an object that is already gone ("not found", "no such device", and the codes in
    /// `alsoGone`) counts as deleted.
    func checkDeleted(_ result: Int32, _ operation: String, alsoGone: [Int32] = []) throws {
        if ([NLE_OBJ_NOTFOUND, NLE_NODEV] + alsoGone).contains(-result) { return }
        try check(result, operation)
    }
}

extension NetlinkError {
    static let outOfMemory = NetlinkError(operation: "allocate netlink object", code: ENOMEM, message: "out of memory")

    /// True for "object exists" (EEXIST), which converging callers treat as done.
    public var isAlreadyExists: Bool { code == NLE_EXIST }
}
