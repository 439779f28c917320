import ConnectorAPI

/// /proc/net/dev: two header lines, then "  eth0: rx(8 columns) tx(8 columns)" per device.
public enum NetDev {
    public static func parse(_ text: String) throws -> [Snapshot.Netdev] { try text.withTextBytes(parse(bytes:)) }

    public static func parse(bytes: TextBytes) throws -> [Snapshot.Netdev] {
        var devices: [Snapshot.Netdev] = []
        var lineNumber = 0
        for line in LineIterator(bytes) {
            lineNumber += 1
            if lineNumber <= 2 || line.isEmpty { continue }
            // Old kernels print "eth0:123" with no space when the counter is wide: split on the colon.
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw ParseError("line \(lineNumber) has no 'name:'") }
            var nameReader = FieldReader(line[line.startIndex..<colon])
            guard let nameField = nameReader.next() else { throw ParseError("line \(lineNumber) has no device name") }
            let name = nameField.string
            var reader = FieldReader(line[(colon + 1)...])
            var values: [UInt64] = []
            values.reserveCapacity(16)
            while let field = reader.next() {
                guard let value = Numbers.uint64(field) else { throw ParseError("\(name): '\(field.string)' is not a counter") }
                values.append(value)
            }
            guard values.count == 16 else { throw ParseError("\(name): \(values.count) counters, expected 16") }
            devices.append(Snapshot.Netdev(
                name: name,
                recvBytes: values[0], recvCompressed: values[6], recvDrop: values[3], recvErrs: values[2],
                recvFifo: values[4], recvFrame: values[5], recvMulticast: values[7], recvPackets: values[1],
                sentBytes: values[8], sentCarrier: values[14], sentColls: values[13], sentCompressed: values[15],
                sentDrop: values[11], sentErrs: values[10], sentFifo: values[12], sentPackets: values[9]
            ))
        }
        return devices
    }
}
