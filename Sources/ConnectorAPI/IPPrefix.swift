#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address or prefix (`10.0.0.0/16`, `10.0.1.7`, `2001:db8::/32`); a bare address is a
/// full-length prefix. A tunnel's IPv6 interface address, BGP extra prefixes, catalog CIDRs and IPs, and `inCidr`
/// networks are read with it.
public struct IPPrefix: Hashable, Sendable {
    /// 4 or 16 bytes, network byte order, as written (host bits kept).
    public let bytes: [UInt8]
    public let length: Int
    /// True when the text gave a prefix length (`/n`), false for a bare address.
    public let hasLength: Bool

    public var isIPv6: Bool { bytes.count == 16 }

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let addressText = parts.first, !addressText.isEmpty else { return nil }
        if addressText.contains(":") {
            var address = in6_addr()
            guard inet_pton(AF_INET6, String(addressText), &address) == 1 else { return nil }
            bytes = withUnsafeBytes(of: &address) { Array($0) }
        } else {
            // Dotted quad, strictly (inet_pton(AF_INET) already refuses leading zeros and short forms).
            var address = in_addr()
            guard inet_pton(AF_INET, String(addressText), &address) == 1 else { return nil }
            bytes = withUnsafeBytes(of: &address) { Array($0) }
        }
        let maximum = bytes.count * 8
        if parts.count == 2 {
            let lengthText = parts[1]
            guard !lengthText.isEmpty, lengthText.count <= 3, lengthText.allSatisfy({ $0.isASCII && $0.isNumber }),
                let length = Int(lengthText), length <= maximum
            else { return nil }
            self.length = length
        } else {
            self.length = maximum
        }
        hasLength = parts.count == 2
    }

    /// True when every address of `other` lies inside this prefix (same family).
    public func contains(_ other: IPPrefix) -> Bool {
        guard bytes.count == other.bytes.count, other.length >= length else { return false }
        var remaining = length
        for index in bytes.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if bytes[index] & mask != other.bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }
}

extension IPPrefix: TextParsable {
    public init?(parsing text: String) { self.init(text) }
}

/// An IPv4 or IPv6 prefix field (`2001:db8::/127`, `10.0.0.0/8`).
public typealias PrefixField = Parsed<IPPrefix>
