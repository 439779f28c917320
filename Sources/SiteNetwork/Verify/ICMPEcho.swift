import ConnectorAPI
import Foundation
import Netlink

/// ICMP echo over a raw socket (`lab verify`'s probes and the WAN health monitor's pings): the request, and the
/// replies read back, whose IP header a raw socket delivers too.
enum ICMPEcho {
    /// An echo request with a 16-byte payload (or `payload` bytes, for path-MTU probes) and its checksum.
    static func request(identifier: UInt16, sequence: UInt16, payload: Int = 16) -> [UInt8] {
        var packet: [UInt8] = [8, 0, 0, 0, UInt8(identifier >> 8), UInt8(identifier & 0xFF), UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
        let pattern = Array("vconnector probe".utf8)
        packet += (0..<max(0, payload)).map { pattern[$0 % pattern.count] }
        let checksum = internetChecksum(packet)
        packet[2] = UInt8(checksum >> 8)
        packet[3] = UInt8(checksum & 0xFF)
        return packet
    }

    static func internetChecksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum += UInt32(bytes[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }

    /// A non-blocking raw ICMP socket created inside `namespace` (where it stays); the caller closes it.
    static func socket(in namespace: String) throws -> Int32 {
        let thread = try NamespaceThread(namespace: namespace)
        defer { thread.stop() }
        let descriptor = try thread.run {
            Glibc.socket(AF_INET, Int32(SOCK_RAW.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Int32(IPPROTO_ICMP))
        }
        guard descriptor >= 0 else { throw ProbeError("raw ICMP socket in \(namespace): \(String(cString: strerror(errno)))") }
        return descriptor
    }

    /// Sends an echo request to `address` on a raw ICMP socket.
    @discardableResult
    static func send(_ descriptor: Int32, to address: IPv4Address, identifier: UInt16, sequence: UInt16, payload: Int = 16) -> Bool {
        var packet = request(identifier: identifier, sequence: sequence, payload: payload)
        var target = PacketProber.socketAddress(address, 0)
        let sent = withUnsafePointer(to: &target) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(descriptor, &packet, packet.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return sent == packet.count
    }

    /// An echo reply that arrived: who sent it, and its identifier and sequence.
    struct Reply {
        let source: IPv4Address
        let identifier: UInt16
        let sequence: UInt16
    }

    /// The echo replies waiting on a non-blocking raw socket (other ICMP messages are skipped).
    static func replies(_ descriptor: Int32) -> [Reply] {
        var replies: [Reply] = []
        var buffer = [UInt8](repeating: 0, count: 1500)
        while true {
            var from = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let count = withUnsafeMutablePointer(to: &from) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(descriptor, &buffer, buffer.count, 0, $0, &length) }
            }
            guard count > 0 else { return replies }
            // A raw socket gets the IP header: skip it (IHL words), then an echo reply is type 0.
            let header = Int(buffer[0] & 0x0F) * 4
            guard count >= header + 8, buffer[header] == 0 else { continue }
            replies.append(Reply(
                source: IPv4Address(value: UInt32(bigEndian: from.sin_addr.s_addr)),
                identifier: UInt16(buffer[header + 4]) << 8 | UInt16(buffer[header + 5]),
                sequence: UInt16(buffer[header + 6]) << 8 | UInt16(buffer[header + 7])))
        }
    }
}

extension Duration {
    /// Whole milliseconds, at least 1: a `poll()` timeout.
    var pollMilliseconds: Int32 {
        max(1, Int32(clamping: wholeMilliseconds))
    }
}
