/// /proc/net/snmp: pairs of lines per protocol, a header ("Ip: Forwarding DefaultTTL ...") and the
/// values ("Ip: 1 64 ..."). Columns are matched by name, never by position: kernels add columns.
public struct NetSNMP: Equatable, Sendable {
    /// Values by protocol ("Ip", "Icmp", "Tcp", "Udp"...) and column name.
    public var tables: [String: [String: Int64]] = [:]

    public init() {}

    public subscript(proto: String, column: String) -> Int64? { tables[proto]?[column] }

    public static func parse(_ text: String) throws -> NetSNMP { try text.withTextBytes(parse(bytes:)) }

    public static func parse(bytes: TextBytes) throws -> NetSNMP {
        var snmp = NetSNMP()
        var pendingHeader: (proto: String, columns: [String])?
        for line in LineIterator(bytes) where !line.isEmpty {
            var reader = FieldReader(line)
            guard let tag = reader.next(), tag.last == UInt8(ascii: ":") else {
                throw ParseError("line '\(line.string)' does not start with 'Proto:'")
            }
            let proto = tag.dropLast().string
            let fields = reader.remaining()
            if let header = pendingHeader, header.proto == proto {
                guard fields.count == header.columns.count else {
                    throw ParseError("\(proto): \(fields.count) values for \(header.columns.count) columns")
                }
                var table: [String: Int64] = [:]
                for (column, field) in zip(header.columns, fields) {
                    guard let value = Numbers.int64(field) else { throw ParseError("\(proto) \(column): '\(field.string)' is not a number") }
                    table[column] = value
                }
                snmp.tables[proto] = table
                pendingHeader = nil
            } else {
                if let header = pendingHeader { throw ParseError("\(header.proto): header without values") }
                pendingHeader = (proto, fields.map(\.string))
            }
        }
        if let header = pendingHeader { throw ParseError("\(header.proto): header without values") }
        return snmp
    }
}
