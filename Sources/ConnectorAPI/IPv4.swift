/// A dotted-quad IPv4 address. Strict: four decimal octets 0-255, no leading zeros, nothing else.
public struct IPv4Address: Comparable, Hashable, Sendable, CustomStringConvertible {
    public let value: UInt32

    public init(value: UInt32) { self.value = value }

    public init?(_ text: some StringProtocol) {
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

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }

    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }
}

/// An IPv4 address with a prefix length, e.g. `192.168.10.1/24` (an interface address) or `10.0.0.0/8`.
public struct IPv4CIDR: Hashable, Sendable, CustomStringConvertible {
    public let address: IPv4Address
    public let prefixLength: Int

    public init(address: IPv4Address, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(parts[0]),
            !parts[1].isEmpty, parts[1].count <= 2, parts[1].allSatisfy(\.isNumber),
            let length = Int(parts[1]), (0...32).contains(length)
        else { return nil }
        self.address = address
        self.prefixLength = length
    }

    /// `a.b.c.d/len` as written (the address keeps its host bits).
    public var description: String { "\(address)/\(prefixLength)" }

    public var mask: UInt32 { prefixLength == 0 ? 0 : UInt32.max << (32 - UInt32(prefixLength)) }
    public var network: IPv4Address { IPv4Address(value: address.value & mask) }

    public func contains(_ other: IPv4Address) -> Bool { other.value & mask == address.value & mask }

    /// The network in CIDR notation, e.g. `192.168.10.0/24` for `192.168.10.1/24`.
    public var networkCIDR: String { "\(network)/\(prefixLength)" }
    /// The directed broadcast address (the last of the subnet).
    public var broadcast: IPv4Address { IPv4Address(value: network.value | ~mask) }

    /// True when every address of `other` is inside this prefix.
    public func contains(_ other: IPv4CIDR) -> Bool { other.prefixLength >= prefixLength && contains(other.network) }

    /// True when the address carries bits beyond the prefix (`10.0.0.5/24`): fine on an interface, wrong for a route.
    public var hasHostBits: Bool { address != network }

    /// True when the two prefixes share at least one address.
    public func overlaps(_ other: IPv4CIDR) -> Bool {
        let shorter = min(mask, other.mask)
        return address.value & shorter == other.address.value & shorter
    }
}

/// A MAC address as six colon- or dash-separated hex pairs.
public enum MACAddress {
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: text.contains("-") ? "-" : ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts.allSatisfy { $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isHexDigit } }
    }

    /// The lower-case, colon-separated form (`02:00:00:00:10:0a`) of a valid MAC address, nil for anything else.
    public static func normalized(_ text: String) -> String? {
        isValid(text) ? String(text.lowercased().map { $0 == "-" ? ":" : $0 }) : nil
    }
}
