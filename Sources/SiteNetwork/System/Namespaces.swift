import Foundation
import Netlink

/// Network namespaces by name (`ip netns`, so operators see them with `ip netns list`).
package enum Namespaces {
    static let directory = "/run/netns"

    /// True when `/run/netns/NAME` is a namespace: a mount of the nsfs filesystem. A plain file under that name
    /// is what `ip netns add` leaves when it dies between creating the file and bind-mounting the namespace on
    /// it; it is not a namespace (entering it fails), and `create` replaces it.
    static func exists(_ name: String) -> Bool {
        var info = stat()
        return stat("\(directory)/\(name)", &info) == 0 && nsfsDevice.map { info.st_dev == $0 } ?? true
    }

    /// The device of the nsfs filesystem (every namespace file is on it), from our own network namespace.
    private static let nsfsDevice: dev_t? = {
        var info = stat()
        return stat("/proc/self/ns/net", &info) == 0 ? info.st_dev : nil
    }()

    /// True when `/run/netns/NAME` exists but is not a namespace (see `exists`).
    static func isStale(_ name: String) -> Bool {
        !exists(name) && FileManager.default.fileExists(atPath: "\(directory)/\(name)")
    }

    /// Every namespace name under /run/netns.
    static func all() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    static func create(_ name: String) throws {
        if exists(name) { return }
        removeStale(name)
        try Command.run("ip", ["netns", "add", name])
    }

    /// Deletes the namespace; its links go with it (a veth takes its peer in another namespace along).
    package static func delete(_ name: String) throws {
        removeStale(name)
        guard exists(name) else { return }
        try Command.run("ip", ["netns", "del", name])
    }

    /// Removes a crashed `ip netns add`'s leftover file (nothing is mounted on it, so nothing else goes).
    private static func removeStale(_ name: String) {
        if isStale(name) { unlink("\(directory)/\(name)") }
    }

    /// Processes whose network namespace is `name` (same nsfs inode as /run/netns/NAME).
    static func processes(in name: String) -> [Int32] {
        var target = stat()
        guard stat("\(directory)/\(name)", &target) == 0 else { return [] }
        let own = getpid()
        return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
            guard let pid = Int32(entry), pid != own else { return nil }
            var info = stat()
            guard stat("/proc/\(pid)/ns/net", &info) == 0, info.st_ino == target.st_ino, info.st_dev == target.st_dev
            else { return nil }
            return pid
        }
    }

    /// Stops every process left in `name` (SIGTERM, SIGKILL after a second): a namespace about to be deleted
    /// is vconnector's, and so is whatever runs in it (a daemon whose pid file was lost, a lab shell).
    static func stopProcesses(in name: String) -> Int {
        let pids = processes(in: name)
        for pid in pids { kill(pid, SIGTERM) }
        for _ in 0..<50 where !processes(in: name).isEmpty { usleep(20_000) }
        for pid in processes(in: name) { kill(pid, SIGKILL) }
        return pids.count
    }

    /// Opens `/run/netns/NAME` for IFLA_NET_NS_FD; the caller closes it.
    static func open(_ name: String) throws -> Int32 {
        let descriptor = Foundation.open("\(directory)/\(name)", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CommandError(
                command: "open \(directory)/\(name)", status: errno, output: String(cString: strerror(errno)))
        }
        return descriptor
    }
}

/// A namespace's thread and its rtnetlink socket, opened once and reused for every request.
final class NamespaceHandle {
    let name: String
    let thread: NamespaceThread
    let socket: RouteSocket

    init(_ name: String) throws {
        self.name = name
        thread = try NamespaceThread(namespace: name)
        socket = try thread.run { try RouteSocket() }
    }

    deinit { thread.stop() }

    /// The namespace's nftables context, created on its thread and used only there.
    private var nftables: Nftables?

    /// Runs nft work inside the namespace (libnftables works in the calling thread's namespace). The result is
    /// discardable, as `Nftables.run`'s is: most work only applies a ruleset.
    @discardableResult
    func nft<T>(_ body: (Nftables) throws -> T) throws -> T {
        try thread.run {
            if nftables == nil { nftables = try Nftables() }
            return try body(nftables!)
        }
    }

    /// Reads a /proc/sys/net value of this namespace (it follows the reading thread's namespace).
    func sysctl(_ path: String) throws -> String {
        try thread.run {
            try String(contentsOfFile: "/proc/sys/\(path)", encoding: .utf8).trimmingCharacters(
                in: .whitespacesAndNewlines)
        }
    }

    func setSysctl(_ path: String, _ value: String) throws {
        try thread.run { try value.write(toFile: "/proc/sys/\(path)", atomically: false, encoding: .utf8) }
    }
}
