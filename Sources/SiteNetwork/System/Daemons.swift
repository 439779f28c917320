import Foundation

/// Starting and stopping the daemons of a site, identified by their pid files in its state directory.
enum Daemons {
    /// True when `pid` is alive and its command line mentions `marker` (the pid file), so a recycled pid
    /// of an unrelated process is never taken for ours, let alone killed.
    static func isRunning(pid: Int32, mentioning marker: String) -> Bool {
        guard pid > 0, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let commandLine = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
        let base = marker.hasSuffix(".pid") ? String(marker.dropLast(4)) : marker
        return commandLine.contains(base)
    }

    /// Writes the daemon's config (0600) and starts it inside `namespace`; it daemonizes itself.
    static func start(_ daemon: DaemonSpec, namespace: String) throws {
        if let file = daemon.configFile, let config = daemon.config {
            try write(config, to: file, mode: daemon.name.hasPrefix("udhcpc-") ? 0o700 : 0o600)
        }
        try? FileManager.default.removeItem(atPath: daemon.pidFile)
        if daemon.detached {
            // busybox start-stop-daemon forks, detaches (setsid) and returns at once; the program keeps its pid file.
            let program = try Command.path(of: daemon.command[0])
            try Command.run(in: namespace, "busybox",
                            ["start-stop-daemon", "-S", "-b", "-p", daemon.pidFile, "-x", program, "--"] + daemon.command.dropFirst())
        } else {
            try Command.run(in: namespace, daemon.command[0], Array(daemon.command.dropFirst()))
        }
        // udhcpc writes its pid file once it forked to the background; wait for it briefly.
        for _ in 0..<50 where !FileManager.default.fileExists(atPath: daemon.pidFile) { usleep(20_000) }
    }

    /// Stops the daemon with this pid file (SIGTERM, then SIGKILL after a second) and removes the file.
    static func stop(pidFile: String) {
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
