import ConnectorAPI
import Foundation

/// Checks catalog resources (from `--catalog` or the catalog endpoints); each failure is a 422 naming
/// the resource's index and field, e.g. `resources[3].cidrs[0]`.
enum CatalogValidation {
    /// Kinds the mock derives from the account's own sites and LANs; a catalog cannot supply them.
    static let derivedKinds: Set<String> = ["magic_site", "magic_lan"]
    static let maxResources = 100_000

    /// The resources, checked; those without `discovered_at` get `now`.
    static func validate(_ resources: [CatalogResource], field: String = "resources", now: String, existingIDs: Set<String> = []) throws -> [CatalogResource] {
        guard resources.count <= maxResources else {
            throw APIError.invalid(field, "\(resources.count) resources; a catalog holds at most \(maxResources)")
        }
        var seen = existingIDs
        var result: [CatalogResource] = []
        for (index, resource) in resources.enumerated() {
            let at = "\(field)[\(index)]"
            var resource = resource
            try check(resource, at: at)
            guard seen.insert(resource.id).inserted else {
                throw APIError.invalid("\(at).id", "'\(resource.id)' appears twice; resource ids are unique in a catalog")
            }
            // One timestamp format, so the newest discovery is the lexically greatest.
            resource.discoveredAt = resource.discoveredAt.flatMap(parseTimestamp).map(MockStore.timestamp) ?? now
            result.append(resource)
        }
        return result
    }

    private static func check(_ resource: CatalogResource, at: String) throws {
        guard !resource.id.isEmpty, resource.id.count <= 256 else { throw APIError.invalid("\(at).id", "must be 1 to 256 characters") }
        if derivedKinds.contains(where: { resource.id.hasPrefix("\($0):") }) {
            throw APIError.invalid("\(at).id", "ids starting with 'magic_site:' or 'magic_lan:' are reserved for the account's own sites and LANs")
        }
        let kindCharacters = resource.kind.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
        guard !resource.kind.isEmpty, resource.kind.count <= 100, kindCharacters else {
            throw APIError.invalid("\(at).kind", "'\(resource.kind)' is not a resource type (lowercase letters, digits and '_', e.g. aws_vpc)")
        }
        guard !derivedKinds.contains(resource.kind) else {
            throw APIError.invalid("\(at).kind", "'\(resource.kind)' entries are derived from the account's sites and LANs, not supplied")
        }
        for (index, cidr) in (resource.cidrs ?? []).enumerated() where !cidr.contains("/") || IPPrefix(cidr) == nil {
            throw APIError.invalid("\(at).cidrs[\(index)]", "'\(cidr)' is not an IPv4 or IPv6 CIDR (expected address/length)")
        }
        for (index, ip) in (resource.ips ?? []).enumerated() where ip.contains("/") || IPPrefix(ip) == nil {
            throw APIError.invalid("\(at).ips[\(index)]", "'\(ip)' is not an IPv4 or IPv6 address")
        }
        for key in (resource.tags ?? [:]).keys where key.isEmpty {
            throw APIError.invalid("\(at).tags", "tag names must not be empty")
        }
        if let discovered = resource.discoveredAt, parseTimestamp(discovered) == nil {
            throw APIError.invalid("\(at).discovered_at", "'\(discovered)' is not an ISO 8601 UTC time such as 2026-11-20T08:00:00Z")
        }
    }

    static func parseTimestamp(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return plain.date(from: text) ?? fractional.date(from: text)
    }
}
