/// A dotted-quad IPv4 address. Strict: four decimal octets 0-255, no leading zeros, nothing else.
struct IPv4Address: Comparable, Hashable, Sendable, CustomStringConvertible {
    let value: UInt32

    init(value: UInt32) { self.value = value }

    init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                part == "0" || !part.hasPrefix("0"), let octet = UInt32(part), octet <= 255
            else { return nil }
            value = value << 8 | octet
        }
        self.value = value
    }

    static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }

    var description: String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }
}

/// An IPv4 address with a prefix length, e.g. `192.168.10.1/24` (an interface address) or `10.0.0.0/8`.
struct IPv4CIDR: Hashable, Sendable {
    let address: IPv4Address
    let prefixLength: Int

    init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(parts[0]),
            !parts[1].isEmpty, parts[1].count <= 2, parts[1].allSatisfy(\.isNumber),
            let length = Int(parts[1]), (0...32).contains(length)
        else { return nil }
        self.address = address
        self.prefixLength = length
    }

    var mask: UInt32 { prefixLength == 0 ? 0 : UInt32.max << (32 - UInt32(prefixLength)) }
    var network: IPv4Address { IPv4Address(value: address.value & mask) }

    func contains(_ other: IPv4Address) -> Bool { other.value & mask == address.value & mask }
}

/// A MAC address as six colon- or dash-separated hex pairs.
enum MACAddress {
    static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: text.contains("-") ? "-" : ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isHexDigit) }
    }
}
