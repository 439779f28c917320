import ConnectorAPI
import Foundation
import Hummingbird
import TestSupport
import Testing

/// The trust boundary on the tunnel and route families: every string field gets the hostile corpus. Names and
/// descriptions refuse unprintable text and keep printable text verbatim; GRE names, addresses, enums and FQDN
/// ids refuse all of it; a PSK may be any printable key but is never echoed. Never a 5xx, never a reply that is
/// not the JSON envelope.
@Suite("Hostile input: tunnels and routes")
struct TunnelHostileInputTests {
    /// How a field treats the corpus.
    enum Kind {
        /// Unprintable refused, printable (up to 256) kept verbatim.
        case name
        /// Everything refused (but an empty description or target, which mean "none").
        case strict
        /// Accepted or refused by its own rule (an MD5 key, "not a secret" as documented, is served back).
        case rule
        /// As `rule`, and never repeated in a reply.
        case secret
    }

    struct Field {
        let collection: String
        let path: [String]
        let base: [String: Any]
        let kind: Kind
    }

    static var fields: [Field] {
        let route: [String: Any] = ["prefix": "192.168.50.0/24", "nexthop": "10.201.0.1", "priority": 1]
        var fields: [Field] = []
        for name in [
            "name", "cloudflare_gre_endpoint", "customer_gre_endpoint", "interface_address", "interface_address6",
            "description",
        ] {
            fields.append(
                Field(
                    collection: MagicPaths.gre, path: [name], base: greBody(third: 1),
                    kind: name == "description" ? .name : .strict))
        }
        fields.append(
            Field(collection: MagicPaths.gre, path: ["health_check", "target"], base: greBody(third: 1), kind: .strict))
        fields.append(
            Field(collection: MagicPaths.gre, path: ["health_check", "rate"], base: greBody(third: 1), kind: .strict))
        fields.append(
            Field(
                collection: MagicPaths.gre, path: ["bgp", "md5_key"],
                base: ["bgp": ["customer_asn": 65000]].merging(greBody(third: 1)) { $1 }, kind: .rule))
        for name in ["name", "description", "cloudflare_endpoint", "customer_endpoint"] {
            fields.append(
                Field(
                    collection: MagicPaths.ipsec, path: [name], base: ipsecBody(third: 1),
                    kind: name.hasSuffix("endpoint") ? .strict : .name))
        }
        fields.append(Field(collection: MagicPaths.ipsec, path: ["psk"], base: ipsecBody(third: 1), kind: .secret))
        fields.append(
            Field(
                collection: MagicPaths.ipsec, path: ["custom_remote_identities", "fqdn_id"], base: ipsecBody(third: 1),
                kind: .strict))
        for name in ["prefix", "nexthop", "description"] {
            fields.append(
                Field(
                    collection: MagicPaths.routes, path: [name], base: route,
                    kind: name == "description" ? .name : .strict))
        }
        fields.append(Field(collection: MagicPaths.routes, path: ["scope", "colo_names"], base: route, kind: .strict))
        return fields
    }

    static func setting(_ value: Any, at path: ArraySlice<String>, in object: [String: Any]) -> [String: Any] {
        var object = object
        guard let key = path.first else { return object }
        if path.count == 1 {
            object[key] = key == "colo_names" ? [value] : value
        } else {
            object[key] = setting(value, at: path.dropFirst(), in: object[key] as? [String: Any] ?? [:])
        }
        return object
    }

    @Test("every string field: the hostile corpus is refused naming the field, or stored verbatim; never a 5xx")
    func corpus() async throws {
        // A method of its own, not the closure: the Swift 6.3 compiler crashes checking this loop inside it.
        try await withRouter { api in try await Self.corpusBody(api) }
    }

    static func corpusBody(_ api: RouterClient) async throws {
        _ = try await api.createMagicID(MagicPaths.ipsec, ipsec(name: "nexthop", third: 0))
        let corpus = HostileStrings.corpus.map(\.value)
        let unprintable =
            HostileInputTests.unprintable
            + corpus.filter { text in text.unicodeScalars.contains { !TextRules.isPrintable($0) } }
        var checked = 0
        for field in Self.fields {
            for value in unprintable + HostileInputTests.printableOdd + corpus {
                // The value goes anywhere in an untyped body: built as a JSON object, the answer read typed.
                let body = Self.setting(value, at: field.path[...], in: field.base)
                let response = try await api.send(
                    .post, "\(field.collection)?validate_only=true", raw: try jsonData(body))
                let label =
                    "\(field.collection) \(field.path.joined(separator: ".")) = \(value.debugDescription.prefix(60))"
                let head = try? JSONDecoder().decode(
                    HostileInputTests.EnvelopeHead.self, from: Data(buffer: response.body))
                #expect(
                    response.status.code < 500 && head != nil,
                    "\(label): \(response.status) \(response.text.prefix(200))")
                let message =
                    (try? JSONDecoder().decode(Envelope<String>.self, from: Data(buffer: response.body)))?.errors.first?
                    .message ?? ""
                let printable = !value.isEmpty && !unprintable.contains(value) && value.unicodeScalars.count <= 256
                if field.kind == .secret || field.kind == .rule {
                    #expect([.ok, .unprocessableContent].contains(response.status), "\(label): \(response.status)")
                    #expect(
                        field.kind == .rule || value.count < 4 || !response.text.contains(value),
                        "\(label): the secret is repeated")
                } else if field.kind == .name && printable {
                    #expect(response.status == .ok, "\(label): \(response.text.prefix(300))")
                    #expect(
                        Self.value(at: field.path, in: try api.resultValue(response)) == value,
                        "\(label): not kept verbatim")
                } else if response.status == .ok {
                    // Only an empty description or an empty health check target (the default) may pass.
                    #expect(value.isEmpty && ["description", "target"].contains(field.path.last), "\(label): accepted")
                } else {
                    #expect(
                        [.badRequest, .conflict, .unprocessableContent].contains(response.status),
                        "\(label): \(response.status)")
                    #expect(!message.isEmpty, "\(label): no error message: \(response.text.prefix(200))")
                    #expect(
                        !message.unicodeScalars.contains { $0.value < 0x20 },
                        "\(label): the message repeats control characters")
                    #expect(message.count < 1000, "\(label): the message repeats the whole value")
                }
                checked += 1
            }
        }
        #expect(checked > 500)
        let kept = try api.keyed([GRETunnel].self, "gre_tunnels", try await api.send(.get, MagicPaths.gre))
        #expect(kept.result?.value == [], "validate_only kept nothing")
    }

    static func value(at path: [String], in object: JSONValue?) -> String? {
        var current = object
        for key in path {
            guard case .object(let fields)? = current else { return nil }
            current = fields[key]
        }
        guard case .string(let text)? = current else { return nil }
        return text
    }
}
