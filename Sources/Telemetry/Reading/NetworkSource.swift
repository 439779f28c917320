import ConnectorAPI
import Netlink

/// Where network counters come from: the host's /proc/net and netlink, or, with a namespace name,
/// those of that network namespace (read on a thread that entered it; /sys does not follow netns).
final class NetworkSource {
    private let files: KernelFiles
    private let namespace: NamespaceThread?
    private let readsNetlink: Bool
    private var socket: RouteSocket?

    init(files: KernelFiles, namespace name: String?, readsNetlink: Bool) throws {
        self.files = files
        self.readsNetlink = readsNetlink
        namespace = try name.map { try NamespaceThread(namespace: $0) }
        if readsNetlink {
            socket = try perform { try RouteSocket() }
        }
    }

    deinit { namespace?.stop() }

    /// /proc/net of the namespace being observed.
    var procNet: String { namespace == nil ? files.proc("net") : "/proc/thread-self/net" }

    /// Runs `body` where the namespace's /proc/net is visible.
    func perform<T>(_ body: () throws -> T) throws -> T {
        if let namespace { return try namespace.run(body) }
        return try body()
    }

    /// `interfaces[]`: every link with its addresses and speed, in ifindex order; nil without netlink.
    func interfaces() throws -> [Snapshot.Interface]? {
        guard let socket else { return nil }
        let links = try socket.links()
        let addresses = Dictionary(grouping: try socket.addresses(), by: \.interfaceIndex)
        return links.sorted { $0.index < $1.index }.map { link in
            var interface = Snapshot.Interface(name: link.name, operstate: link.operState)
            interface.ipAddresses = (addresses[link.index] ?? []).map {
                Snapshot.InterfaceAddress(interfaceName: link.name, ipAddress: $0.cidr)
            }
            interface.speed = socket.speedBitsPerSecond(of: link.name)
            return interface
        }
    }
}
