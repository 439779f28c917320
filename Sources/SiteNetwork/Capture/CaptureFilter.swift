import ConnectorAPI

/// A capture request's BPF filter, built from its typed fields and never from its text: each address is parsed
/// as an IPv4 address and printed back, ports and the protocol are integers in range. The words go to tcpdump
/// as its expression arguments (no shell), so nothing the API sends can become a BPF keyword, an option or a
/// shell word.
public enum CaptureFilter {
    /// tcpdump's expression words: every given field must match (`and`); no field captures every packet.
    public static func expression(_ filter: PacketCaptureFilter?) throws(CaptureFilterError) -> [String] {
        guard let filter else { return [] }
        var clauses: [[String]] = []
        if let text = filter.sourceAddress { clauses.append(["src", "host", try address(text, "source_address")]) }
        if let text = filter.destinationAddress { clauses.append(["dst", "host", try address(text, "destination_address")]) }
        if let number = filter.protocol {
            guard (0...255).contains(number) else { throw CaptureFilterError(field: "protocol", problem: "\(number) is not an IP protocol number (0-255)") }
            clauses.append(["ip", "proto", String(number)])
        }
        if let port = filter.sourcePort { clauses.append(["src", "port", try self.port(port, "source_port")]) }
        if let port = filter.destinationPort { clauses.append(["dst", "port", try self.port(port, "destination_port")]) }
        return clauses.enumerated().flatMap { index, clause in index == 0 ? clause : ["and"] + clause }
    }

    private static func address(_ text: String, _ field: String) throws(CaptureFilterError) -> String {
        guard let address = IPv4Address(text) else {
            throw CaptureFilterError(field: field, problem: "\(TextRules.printable(text, limit: 60)) is not an IPv4 address")
        }
        return address.description
    }

    private static func port(_ number: Int, _ field: String) throws(CaptureFilterError) -> String {
        guard (1...65535).contains(number) else { throw CaptureFilterError(field: field, problem: "\(number) is not a port (1-65535)") }
        return String(number)
    }
}

/// A filter field that cannot be a BPF term; the capture is refused.
public struct CaptureFilterError: Error, CustomStringConvertible, Equatable {
    public var field: String
    public var problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { "filter_v1.\(field): \(problem)" }
}
