import Foundation

/// The namespace `--netns` pins snapshots to. It may not exist yet when the agent starts: the site namespace
/// (`vconnector site namespace ...`) is created by the first check-in's apply. Until it appears, snapshots report
/// this host; the snapshot loop switches to it as soon as it exists.
enum PinnedNamespace {
    /// True when `/run/netns/NAME` is a mounted namespace (on nsfs, as `/proc/self/ns/net` is), not a plain file that
    /// a crashed `ip netns add` left behind.
    static func exists(_ name: String) -> Bool {
        var namespace = stat(), own = stat()
        guard stat("/run/netns/\(name)", &namespace) == 0 else { return false }
        guard stat("/proc/self/ns/net", &own) == 0 else { return true }
        return namespace.st_dev == own.st_dev
    }
}
