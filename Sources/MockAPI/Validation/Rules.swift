import ConnectorAPI
import Foundation

/// Small checks shared by the resource validators; each throws a 422 naming the field.
enum Rules {
    static func ipv4(_ value: String?, _ field: String) throws -> IPv4Address? {
        guard let value else { return nil }
        guard let address = IPv4Address(value) else {
            throw APIError.invalid(field, "'\(value)' is not an IPv4 address (expected a.b.c.d)")
        }
        return address
    }

    static func cidr(_ value: String?, _ field: String) throws -> IPv4CIDR? {
        guard let value else { return nil }
        guard let cidr = IPv4CIDR(value) else {
            throw APIError.invalid(field, "'\(value)' is not an IPv4 CIDR (expected a.b.c.d/len, len 0-32)")
        }
        return cidr
    }

    static func vlanTag(_ value: Int?, _ field: String = "vlan_tag") throws {
        if let value, !(0...4094).contains(value) {
            throw APIError.invalid(field, "\(value) is out of range; VLAN tags are 0 (untagged) to 4094")
        }
    }

    static func physport(_ value: Int?, _ field: String = "physport") throws {
        if let value, value < 1 {
            throw APIError.invalid(field, "\(value) is not a port number (ports are numbered from 1)")
        }
    }

    static func nonEmpty(_ value: String?, _ field: String) throws {
        if let value, value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw APIError.invalid(field, "must not be empty")
        }
    }

    static func inside(_ address: IPv4Address, _ subnet: IPv4CIDR, _ field: String, _ subnetField: String) throws {
        guard subnet.contains(address) else {
            throw APIError.invalid(
                field, "\(address) is outside the LAN subnet \(subnet.network)/\(subnet.prefixLength) (\(subnetField))"
            )
        }
    }
}
