import ConnectorAPI
import Foundation

/// Small checks shared by the resource validators; each throws a 422 naming the field.
enum Rules {
    static func ipv4(_ value: String?, _ field: String) throws -> IPv4Address? {
        guard let value else { return nil }
        guard let address = IPv4Address(value) else {
            throw APIError.invalid(field, "\(Rules.quoted(value)) is not an IPv4 address (expected a.b.c.d)")
        }
        return address
    }

    static func cidr(_ value: String?, _ field: String) throws -> IPv4CIDR? {
        guard let value else { return nil }
        guard let cidr = IPv4CIDR(value) else {
            throw APIError.invalid(field, "\(Rules.quoted(value)) is not an IPv4 CIDR (expected a.b.c.d/len, len 0-32)")
        }
        return cidr
    }

    static func nonEmpty(_ value: String?, _ field: String) throws {
        if let value, value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw APIError.invalid(field, "must not be empty")
        }
    }

    /// A name (site, LAN, WAN, ACL, sync): 1-256 printable characters on one line, not only spaces. The agent
    /// writes names into generated files (dnsmasq, nft comments), so a newline or control character is refused.
    static func name(_ value: String?, _ field: String) throws {
        guard let value else { return }
        try nonEmpty(value, field)
        if let problem = TextRules.nameProblem(value) { throw APIError.invalid(field, problem) }
    }

    /// A description: as a name, but it may be empty.
    static func description(_ value: String?, _ field: String) throws {
        guard let value, !value.isEmpty else { return }
        if let problem = TextRules.nameProblem(value) { throw APIError.invalid(field, problem) }
    }

    /// An id a client names in a body (a LAN of an ACL, a site's connector): letters, digits, '-', '_', 1-64.
    static func id(_ value: String?, _ field: String) throws {
        guard let value else { return }
        if let problem = TextRules.idProblem(value) { throw APIError.invalid(field, problem) }
    }

    /// `text` for an error message: control characters escaped, long text cut (messages reach logs and terminals).
    static func quoted(_ text: some StringProtocol) -> String { "'\(TextRules.printable(String(text), limit: 64))'" }

}
