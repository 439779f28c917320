import Foundation

/// Starting and stopping the daemons of a site, identified by their pid files in its state directory.
package enum Daemons {
    /// True when `pid` is alive and its command line mentions `marker` (the pid file), so a recycled pid
    /// of an unrelated process is never taken for ours, let alone killed.
    /// A charon's command line is only `charon-systemd`: its environment (`STRONGSWAN_CONF=<base>.conf`) marks it.
    static func isRunning(pid: Int32, mentioning marker: String) -> Bool {
        guard pid > 0 else { return false }
        let base = marker.hasSuffix(".pid") ? String(marker.dropLast(4)) : marker
        for file in ["cmdline", "environ"] {
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/\(file)") else { return false }
            if String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self).contains(base) { return true }
        }
        return false
    }

    /// Writes the daemon's config (0600) and starts it inside `namespace`; it daemonizes itself. A charon's
    /// TUN device then becomes its tunnel link, marked with `mark`; its name is returned.
    @discardableResult
    static func start(_ daemon: DaemonSpec, namespace: String, mark: String) throws -> String? {
        if let file = daemon.configFile, let config = daemon.config {
            try write(config, to: file, mode: daemon.name.hasPrefix("udhcpc-") ? 0o700 : 0o600)
        }
        if let file = daemon.companionFile, let companion = daemon.companion { try write(companion, to: file, mode: 0o600) }
        for (file, content) in daemon.files.sorted(by: { $0.key < $1.key }) {
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try write(content, to: file, mode: 0o600)
        }
        for file in [daemon.pidFile] + daemon.childPidFiles { try? FileManager.default.removeItem(atPath: file) }
        if let tunnel = daemon.tunnel { try? FileManager.default.removeItem(atPath: tunnel.instance.viciSocket) }
        if daemon.detached {
            // busybox start-stop-daemon forks, detaches (setsid) and returns at once; the program keeps its pid
            // file, or start-stop-daemon writes it (`-m`) for one that keeps none.
            let program = try Command.path(of: daemon.command[0])
            try Command.run(in: namespace, "busybox",
                            ["start-stop-daemon", "-S", "-b"] + (daemon.writesPidFile ? ["-m"] : []) + ["-p", daemon.pidFile, "-x", program, "--"]
                                + daemon.command.dropFirst())
        } else {
            try Command.run(in: namespace, daemon.command[0], Array(daemon.command.dropFirst()))
        }
        // udhcpc writes its pid file once it forked to the background; wait for it briefly.
        // (Up to 5 s: keepalived on a loaded machine takes more than one.)
        for _ in 0..<250 where !FileManager.default.fileExists(atPath: daemon.pidFile) { usleep(20_000) }
        guard let tunnel = daemon.tunnel else { return nil }
        return try TunnelDevice.bringUp(tunnel, daemon: daemon, namespace: namespace, mark: mark)
    }

    /// Stops the daemon with this pid file (SIGTERM, then SIGKILL after a second) and removes the file.
    package static func stop(pidFile: String) {
        let status = Observer.status(pidFile: pidFile, configFile: nil)
        if let pid = status.pid, status.running {
            kill(pid, SIGTERM)
            for _ in 0..<50 where isRunning(pid: pid, mentioning: pidFile) { usleep(20_000) }
            if isRunning(pid: pid, mentioning: pidFile) { kill(pid, SIGKILL) }
        }
        try? FileManager.default.removeItem(atPath: pidFile)
    }

    /// Writes a file atomically (temporary file and rename) with `mode`. No fsync: everything in the state
    /// directory is either re-derived from the config or re-observed from the kernel.
    static func write(_ text: String, to path: String, mode: Int) throws {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else {
            throw CommandError(command: "write \(path)", status: errno, output: String(cString: strerror(errno)))
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        fchmod(descriptor, mode_t(mode))
        close(descriptor)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            throw CommandError(command: "write \(path)", status: errno, output: String(cString: strerror(errno)))
        }
    }
}
