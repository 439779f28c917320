import ConnectorAPI
import Foundation

/// One packet capture on an applied site's WAN link: tcpdump in the connector namespace (`ip netns exec`, no
/// shell), writing each packet as it comes (`--immediate-mode -U`) as root (`-Z root`: the file is in the
/// agent's 0700 state directory), stopped by whichever limit comes first: its packet count (`-c`), its time,
/// its file size, or the caller.
public struct WANCapture: Sendable, Equatable {
    public let namespace: String
    public let link: String

    public init(namespace: String, link: String) {
        self.namespace = namespace
        self.link = link
    }

    /// Where an applied site's captures run: its preferred WAN (the lowest priority, the first of equals), whose
    /// link carries its traffic to and from the internet; nil for a site without WANs.
    public static func preferredWAN(of config: SiteConfig, names: SiteNames) -> WANCapture? {
        let preferred = config.wans.enumerated().min { ($0.element.priority ?? 0, $0.offset) < ($1.element.priority ?? 0, $1.offset) }
        return preferred.map { WANCapture(namespace: names.connector, link: SiteNames.link(of: $0.element)) }
    }

    public struct Limits: Sendable, Equatable {
        public var packets: Int
        public var time: Duration
        /// The file is cut to the whole packets within this many bytes.
        public var bytes: Int

        public init(packets: Int, time: Duration, bytes: Int) {
            self.packets = packets
            self.time = time
            self.bytes = bytes
        }
    }

    /// The pcap file (whole packets within the byte limit) and how many packets it holds.
    public struct Result: Sendable {
        public var file: Data
        public var packets: Int
    }

    /// tcpdump's arguments for `filter` (from `CaptureFilter`) writing to `file`; `--` so that no word of the
    /// expression is ever taken for an option.
    public func arguments(filter: [String], packets: Int, file: String, tcpdump: String) -> [String] {
        ["netns", "exec", namespace, tcpdump, "--immediate-mode", "-U", "-Z", "root", "-n", "-i", link, "-w", file, "-c", String(packets), "--"] + filter
    }

    /// Runs the capture to one of its limits (or until `shouldStop` says so) and reads the file back. Blocks for
    /// up to the time limit: call it off the cooperative pool. `file` is created 0600 first (a capture holds
    /// traffic) and removed afterwards.
    public func run(filter: [String], limits: Limits, file: String, shouldStop: () -> Bool) throws -> Result {
        let descriptor = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw CommandError(command: "create \(file)", status: errno, output: String(cString: strerror(errno))) }
        close(descriptor)
        let errors = file + ".err"
        defer {
            unlink(file)
            unlink(errors)
        }
        let pid = try Command.spawn(
            try Command.path(of: "ip"), arguments(filter: filter, packets: limits.packets, file: file, tcpdump: try Command.path(of: "tcpdump")),
            output: "/dev/null", error: errors)
        let clock = ContinuousClock()
        let deadline = clock.now + limits.time
        var status: Int32 = 0
        var exited = false
        while !exited {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { exited = true; break }
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            if clock.now >= deadline || size >= limits.bytes || shouldStop() { break }
            usleep(50_000)
        }
        if !exited { stop(pid, status: &status) }
        let said = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        // Exit 0 is the packet limit; a program stopped by us also ends 0. Anything else failed (a missing link,
        // a filter tcpdump refused).
        if exited, Command.exitCode(status) != 0 {
            throw CommandError(command: "tcpdump -i \(link) in \(namespace)", status: Command.exitCode(status), output: said)
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        guard let records = PcapFile.records(in: data, limit: limits.bytes) else {
            throw CommandError(command: "tcpdump -i \(link) in \(namespace)", status: 0, output: "wrote no pcap file (\(data.count) bytes). \(said)")
        }
        return Result(file: data.prefix(records.end), packets: records.count)
    }

    /// SIGTERM (tcpdump flushes and closes its file), SIGKILL if it is still there after 2 s; reaped either way.
    private func stop(_ pid: pid_t, status: inout Int32) {
        kill(pid, SIGTERM)
        for _ in 0..<40 {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}
