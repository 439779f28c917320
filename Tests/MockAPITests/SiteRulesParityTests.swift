import ConnectorAPI
import Foundation
import Hummingbird
import SiteNetwork
import SiteRules
import Testing

/// mock-api and `vconnector site validate` apply one rule set: a bad WAN or LAN posted to the mock is refused with
/// exactly the problems `site validate` reports for it in a site document (same pointers, same words).
@Suite("Site rules parity")
struct SiteRulesParityTests {
    /// The bad sites of fixtures/sites/bad whose problems are each about one object.
    static let fixtures = ["dhcp-mistakes", "ha-missing-addresses", "wan-mistakes"]

    /// Problems between objects (a name, id, port, subnet or HA link another object has) are the store's in the
    /// mock (409).
    private static func betweenObjects(_ problem: SiteProblem) -> Bool {
        switch problem.code {
        case .portInUse, .overlap: true
        case .duplicate: [".name", ".id", ".ha_link"].contains { problem.path.hasSuffix($0) }
        default: false
        }
    }

    @Test(arguments: fixtures) func theMockRefusesWhatSiteValidateReports(_ name: String) async throws {
        let url = fixtureURL("x").deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "sites/bad/\(name).json")
        let data = try Data(contentsOf: url)
        let config = try JSONDecoder().decode(SiteConfig.self, from: data)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let reported = SiteValidator.validate(config)
        // The fixture's bodies go to the mock as they are in the file; the answers are read typed.
        var bodies: [(kind: String, index: Int, data: Data)] = []
        for kind in ["wans", "lans"] {
            for (index, body) in (document[kind] as? [[String: Any]] ?? []).enumerated() {
                bodies.append((kind, index, try jsonData(body)))
            }
        }
        try await withRouter { [bodies] api in
            var compared = 0
            let site = try await api.createSite(haMode: config.site.haMode == true ? true : nil)
            for (kind, index, body) in bodies {
                let prefix = "/\(kind)/\(index)"
                let expected = reported.filter { $0.pointer.hasPrefix(prefix + "/") && !Self.betweenObjects($0) }
                let response = try await api.send(.post, "\(Paths.site(site))/\(kind)", raw: body)
                let errors =
                    (try? JSONDecoder().decode(Envelope<String>.self, from: Data(buffer: response.body)))?.errors ?? []
                let answered = errors.map { ($0.source?.pointer ?? "", $0.message) }
                guard !expected.isEmpty else {
                    #expect(
                        response.status == .ok || response.status == .conflict, "\(name) \(prefix): \(response.text)")
                    continue
                }
                #expect(
                    response.status
                        == (expected.allSatisfy { $0.code == .required } ? .badRequest : .unprocessableContent),
                    "\(name) \(prefix): \(response.text)")
                #expect(
                    answered.map(\.0) == expected.map { String($0.pointer.dropFirst(prefix.count)) },
                    "\(name) \(prefix): \(response.text)")
                #expect(
                    zip(answered, expected).allSatisfy { $0.0.1.hasSuffix(": " + $0.1.message) },
                    "\(name) \(prefix): \(response.text)")
                compared += expected.count
            }
            #expect(compared > 3, "the fixture \(name) exercises the per-object rules")
        }
    }
}
