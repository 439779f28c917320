import Foundation

/// The IKE and child SAs of a tunnel's charon, read over its vici socket with `swanctl`.
package enum TunnelSessions {
    /// True when the charon's tunnel has an established IKE SA with an installed child SA.
    package static func isUp(_ instance: StrongSwan.Instance, namespace: String) -> Bool {
        guard let text = try? Command.run(in: namespace, "swanctl", ["--list-sas", "--raw", "--uri", "unix://\(instance.viciSocket)"]) else {
            return false
        }
        return text.contains("state=ESTABLISHED") && text.contains("state=INSTALLED")
    }

    /// Asks the charon to (re)initiate its tunnel now instead of at its next retry (a lab's edge just came up).
    package static func initiate(_ instance: StrongSwan.Instance, namespace: String) {
        _ = try? Command.run(in: namespace, "swanctl", ["--initiate", "--child", "tunnel", "--timeout", "2", "--uri", "unix://\(instance.viciSocket)"])
    }
}
