import CNetlink
#if canImport(Glibc)
import Glibc
#endif

/// An rtnetlink socket. It stays bound to the network namespace of the thread that opened it, so it
/// may be opened on a `NamespaceThread` and then used from anywhere. Not safe for concurrent use.
public final class RouteSocket {
    let socket: OpaquePointer
    /// An AF_INET datagram socket of the same namespace, for ethtool ioctls.
    private let ioctlDescriptor: Int32

    /// Opens a socket in the calling thread's network namespace.
    public init() throws {
        guard let socket = nl_socket_alloc() else {
            throw NetlinkError(operation: "allocate netlink socket", code: ENOMEM, message: "out of memory")
        }
        let result = nl_connect(socket, NETLINK_ROUTE)
        guard result >= 0 else {
            nl_socket_free(socket)
            throw NetlinkError.libnl("connect rtnetlink socket", result)
        }
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            let code = errno
            nl_socket_free(socket)
            throw NetlinkError.system("open ioctl socket", errno: code)
        }
        self.socket = socket
        self.ioctlDescriptor = descriptor
    }

    deinit {
        nl_socket_free(socket)
        close(ioctlDescriptor)
    }

    /// Every link of the namespace (one RTM_GETLINK dump).
    public func links() throws -> [Link] {
        var cache: OpaquePointer?
        let result = rtnl_link_alloc_cache(socket, AF_UNSPEC, &cache)
        guard result >= 0, let cache else { throw NetlinkError.libnl("dump links", result) }
        defer { nl_cache_free(cache) }

        var links: [Link] = []
        links.reserveCapacity(Int(nl_cache_nitems(cache)))
        var object = nl_cache_get_first(cache)
        while let current = object {
            let link = cnl_link_cast(current)
            let master = rtnl_link_get_master(link)
            links.append(Link(
                index: rtnl_link_get_ifindex(link),
                name: rtnl_link_get_name(link).map { String(cString: $0) } ?? "",
                operState: Link.operStateName(rtnl_link_get_operstate(link)),
                flags: rtnl_link_get_flags(link),
                mtu: rtnl_link_get_mtu(link),
                kind: rtnl_link_get_type(link).map { String(cString: $0) },
                masterIndex: master > 0 ? master : nil,
                alias: rtnl_link_get_ifalias(link).map { String(cString: $0) },
                macAddress: rtnl_link_get_addr(link).flatMap { Self.formatHardware($0) }
            ))
            object = nl_cache_get_next(current)
        }
        return links
    }

    /// Every IPv4 and IPv6 address of the namespace (one RTM_GETADDR dump).
    public func addresses() throws -> [Address] {
        var cache: OpaquePointer?
        let result = rtnl_addr_alloc_cache(socket, &cache)
        guard result >= 0, let cache else { throw NetlinkError.libnl("dump addresses", result) }
        defer { nl_cache_free(cache) }

        var addresses: [Address] = []
        var object = nl_cache_get_first(cache)
        while let current = object {
            let entry = cnl_addr_cast(current)
            let family = rtnl_addr_get_family(entry)
            if let local = rtnl_addr_get_local(entry), let text = Self.format(local, family: family) {
                addresses.append(Address(
                    interfaceIndex: rtnl_addr_get_ifindex(entry),
                    family: family,
                    address: text,
                    prefixLength: Int(rtnl_addr_get_prefixlen(entry))
                ))
            }
            object = nl_cache_get_next(current)
        }
        return addresses
    }

    /// The link speed in bits per second from ethtool, or nil where the driver has none
    /// (SPEED_UNKNOWN, a link that is down, or a device without ethtool support such as `lo`).
    public func speedBitsPerSecond(of name: String) -> UInt64? {
        var mbps: UInt32 = 0
        let result = name.withCString { cnl_ethtool_speed_mbps(ioctlDescriptor, $0, &mbps) }
        // 0xFFFF is the unknown value of the old 16-bit field, UInt32.max is SPEED_UNKNOWN (-1).
        guard result == 0, mbps != 0, mbps != 0xFFFF, mbps != UInt32.max else { return nil }
        return UInt64(mbps) * 1_000_000
    }

    static func formatHardware(_ address: OpaquePointer) -> String? {
        guard nl_addr_get_family(address) == AF_LLC, nl_addr_get_len(address) == 6,
            let binary = nl_addr_get_binary_addr(address) else { return nil }
        let bytes = UnsafeRawBufferPointer(start: binary, count: 6)
        return bytes.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    static func format(_ address: OpaquePointer, family: Int32) -> String? {
        guard family == AF_INET || family == AF_INET6, let binary = nl_addr_get_binary_addr(address) else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family, binary, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
