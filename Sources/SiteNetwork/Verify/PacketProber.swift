import ConnectorAPI
import Foundation
import Netlink

/// What a probe saw: whether the packet arrived (a TCP connection established, a UDP datagram or an ICMP echo
/// reply received), and for TCP and UDP the source address the receiver saw and which receiver it was.
public struct Seen: Sendable, Codable, Equatable {
    public var verdict: Decision.Verdict
    /// The source address as the receiving end saw it (after any NAT).
    public var source: IPv4Address?
    /// The namespace whose listener got it (for internet probes: which upstream router, so which WAN).
    public var receiver: String?

    public init(verdict: Decision.Verdict, source: IPv4Address? = nil, receiver: String? = nil) {
        self.verdict = verdict
        self.source = source
        self.receiver = receiver
    }
}

/// Sends real packets between lab namespaces, all probes at once, each bounded by one timeout: a socket is
/// created on a thread inside its namespace (where it then stays), and the I/O of every socket is driven by
/// one poll loop here. Listeners are bound in the destination namespaces first (for internet probes, in every
/// upstream router: whichever receives the packet tells the WAN it left by).
final class PacketProber {
    /// One probe: from a namespace to an address, received by listeners in one or more namespaces.
    struct Job {
        var source: String
        var destination: IPv4Address
        var probe: Probe
        var receivers: [String]
    }

    private var threads: [String: NamespaceThread] = [:]

    deinit { threads.values.forEach { $0.stop() } }

    private func thread(_ namespace: String) throws -> NamespaceThread {
        if let existing = threads[namespace] { return existing }
        let created = try NamespaceThread(namespace: namespace)
        threads[namespace] = created
        return created
    }

    /// A socket of `type` created inside `namespace` (close-on-exec, non-blocking).
    private func socket(in namespace: String, _ type: Int32, _ proto: Int32 = 0) throws -> Int32 {
        let descriptor = try thread(namespace).run { Glibc.socket(AF_INET, type | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), proto) }
        guard descriptor >= 0 else { throw ProbeError("socket in \(namespace): \(String(cString: strerror(errno)))") }
        return descriptor
    }

    /// Runs the jobs and returns what each saw, in order: at once, except that two jobs listening on the same
    /// address, port and protocol in one namespace go in different rounds (one listener per port, so what
    /// arrives is attributed to the right probe).
    func run(_ jobs: [Job], timeout: Duration) throws -> [Seen] {
        var rounds: [[Int]] = []
        var keys: [Set<String>] = []
        for (index, job) in jobs.enumerated() {
            let needs = Set(job.receivers.map { "\($0) \(job.destination) \(job.probe)" })
            if let round = keys.firstIndex(where: { $0.isDisjoint(with: needs) || job.probe.proto == .icmp }) {
                rounds[round].append(index)
                keys[round].formUnion(needs)
            } else {
                rounds.append([index])
                keys.append(needs)
            }
        }
        var seen = [Seen](repeating: Seen(verdict: .drop), count: jobs.count)
        for round in rounds {
            let results = try runRound(round.map { jobs[$0] }, timeout: timeout)
            for (position, index) in round.enumerated() { seen[index] = results[position] }
        }
        return seen
    }

    private func runRound(_ jobs: [Job], timeout: Duration) throws -> [Seen] {
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        var states: [ProbeState] = []
        for (index, job) in jobs.enumerated() {
            var state = ProbeState(job: job)
            switch job.probe.proto {
            case .tcp, .udp:
                let type = job.probe.proto == .tcp ? Int32(SOCK_STREAM.rawValue) : Int32(SOCK_DGRAM.rawValue)
                for receiver in job.receivers {
                    let listener = try socket(in: receiver, type)
                    sockets.append(listener)
                    try bind(listener, job.destination, UInt16(job.probe.port ?? 0))
                    if job.probe.proto == .tcp { Glibc.listen(listener, 16) }
                    state.listeners.append((receiver, listener))
                }
                let sender = try socket(in: job.source, type)
                sockets.append(sender)
                state.sender = sender
                var address = Self.socketAddress(job.destination, UInt16(job.probe.port ?? 0))
                if job.probe.proto == .tcp {
                    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(sender, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
                } else {
                    let payload = Array("vconnector probe \(index)".utf8)
                    _ = withUnsafePointer(to: &address) { pointer in
                        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(sender, payload, payload.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                    }
                }
            case .icmp:
                let sender = try socket(in: job.source, Int32(SOCK_RAW.rawValue), Int32(IPPROTO_ICMP))
                sockets.append(sender)
                state.sender = sender
                // A fresh identifier per probe: a reused one would match a conntrack entry of an earlier run (ICMP
                // flows are tracked by identifier) and pass as "established" where a new flow is dropped.
                state.icmpIdentifier = UInt16.random(in: 1...UInt16.max)
                ICMPEcho.send(sender, to: job.destination, identifier: state.icmpIdentifier, sequence: UInt16(index & 0xFFFF))
            }
            states.append(state)
        }
        let deadline = ContinuousClock.now + timeout
        while states.contains(where: { !$0.finished }), ContinuousClock.now < deadline {
            var entries: [pollfd] = []
            var owners: [(Int, Int32)] = []
            for (index, state) in states.enumerated() where !state.finished {
                for fd in state.watched {
                    entries.append(pollfd(fd: fd.fd, events: fd.events, revents: 0))
                    owners.append((index, fd.fd))
                }
            }
            guard poll(&entries, nfds_t(entries.count), (deadline - ContinuousClock.now).pollMilliseconds) > 0 else { continue }
            for (position, entry) in entries.enumerated() where entry.revents != 0 {
                states[owners[position].0].handle(fd: entry.fd, revents: entry.revents)
            }
        }
        return states.map(\.seen)
    }

    private func bind(_ descriptor: Int32, _ address: IPv4Address, _ port: UInt16) throws {
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = Self.socketAddress(address, port)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ProbeError("bind \(address):\(port): \(String(cString: strerror(errno)))") }
    }

    static func socketAddress(_ address: IPv4Address, _ port: UInt16) -> sockaddr_in {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        socketAddress.sin_addr.s_addr = address.value.bigEndian
        return socketAddress
    }
}

/// The progress of one probe in the poll loop.
private struct ProbeState {
    let job: PacketProber.Job
    var sender: Int32 = -1
    var listeners: [(namespace: String, fd: Int32)] = []
    var icmpIdentifier: UInt16 = 0
    var seen = Seen(verdict: .drop, source: nil, receiver: nil)
    var connected = false
    var finished = false

    init(job: PacketProber.Job) { self.job = job }

    /// The descriptors still worth waiting on, with the events.
    var watched: [(fd: Int32, events: Int16)] {
        switch job.probe.proto {
        case .icmp: return [(sender, Int16(POLLIN))]
        case .udp: return listeners.map { ($0.fd, Int16(POLLIN)) }
        case .tcp: return (connected ? [] : [(sender, Int16(POLLOUT))]) + listeners.map { ($0.fd, Int16(POLLIN)) }
        }
    }

    mutating func handle(fd: Int32, revents: Int16) {
        switch job.probe.proto {
        case .icmp:
            if ICMPEcho.replies(fd).contains(where: { $0.identifier == icmpIdentifier && $0.source == job.destination }) {
                seen = Seen(verdict: .allow)
                finished = true
            }
        case .udp:
            guard let listener = listeners.first(where: { $0.fd == fd }) else { return }
            var buffer = [UInt8](repeating: 0, count: 512)
            var from = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let count = withUnsafeMutablePointer(to: &from) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, &buffer, buffer.count, 0, $0, &length) }
            }
            guard count > 0 else { return }
            seen = Seen(verdict: .allow, source: IPv4Address(value: UInt32(bigEndian: from.sin_addr.s_addr)), receiver: listener.namespace)
            finished = true
        case .tcp:
            if fd == sender {
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                connected = true
                if error != 0 { finished = true }  // refused or unreachable: not through
                return
            }
            guard let listener = listeners.first(where: { $0.fd == fd }) else { return }
            var from = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let connection = withUnsafeMutablePointer(to: &from) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(fd, $0, &length) }
            }
            guard connection >= 0 else { return }
            close(connection)
            seen = Seen(verdict: .allow, source: IPv4Address(value: UInt32(bigEndian: from.sin_addr.s_addr)), receiver: listener.namespace)
            finished = true
        }
    }
}

/// A probe that could not be set up (a socket, a bind): the lab is not as expected.
struct ProbeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
