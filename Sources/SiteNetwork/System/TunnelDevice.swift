import Foundation

/// Turns a freshly started charon into a tunnel link: loads its connection over its own vici socket (the IKE
/// session starts at once), then finds the TUN device kernel-libipsec opened (`ipsecN`, numbered by the kernel)
/// through the process's file descriptors, and marks, addresses and raises it. It keeps the kernel's name:
/// charon installs its policy routes by that name, and a renamed device makes every child SA fail.
enum TunnelDevice {
    /// How long a charon may take to open its vici socket.
    static let startTimeout: Duration = .seconds(5)

    /// Returns the device's name. `link.name` empty: any device (the lab's edge); else it must be that one.
    @discardableResult
    static func bringUp(_ link: TunnelLink, daemon: DaemonSpec, namespace: String, mark: String) throws -> String {
        let instance = link.instance
        let deadline = ContinuousClock.now + startTimeout
        while !FileManager.default.fileExists(atPath: instance.viciSocket) {
            guard ContinuousClock.now < deadline else {
                throw CommandError(command: "start \(daemon.name)", status: 1, output: "charon did not open \(instance.viciSocket); see \(instance.logFile)")
            }
            usleep(10_000)
        }
        try Command.run(in: namespace, "swanctl", ["--load-all", "--noprompt", "--file", instance.connectionFile, "--uri", "unix://\(instance.viciSocket)"])
        let status = Observer.status(pidFile: daemon.pidFile, configFile: nil)
        guard let pid = status.pid, status.running, let device = device(ofProcess: pid) else {
            throw CommandError(command: "start \(daemon.name)", status: 1, output: "charon has no TUN device; see \(instance.logFile)")
        }
        guard link.name.isEmpty || device == link.name else {
            throw CommandError(command: "start \(daemon.name)", status: 1, output:
                "charon got TUN device \(device), not \(link.name) (another ipsec device in \(namespace) took its number?)")
        }
        try Command.run("ip", ["-n", namespace, "link", "set", "dev", device, "alias", mark])
        try Command.run("ip", ["-n", namespace, "address", "replace", link.address, "dev", device])
        try Command.run("ip", ["-n", namespace, "link", "set", "dev", device, "up"])
        return device
    }

    /// The TUN device a process holds open (`iff:` in the fdinfo of its /dev/net/tun descriptor).
    static func device(ofProcess pid: Int32) -> String? {
        let directory = "/proc/\(pid)/fdinfo"
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            guard let text = try? String(contentsOfFile: "\(directory)/\(entry)", encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") where line.hasPrefix("iff:") {
                return line.dropFirst(4).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
