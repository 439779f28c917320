import ConnectorAPI
import Foundation
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
        var compared = 0
        try await withServer { server in
            let site = try await server.client.createSite(config.site.haMode == true ? ["ha_mode": true] : [:])
            for kind in ["wans", "lans"] {
                for (index, body) in (document[kind] as? [[String: Any]] ?? []).enumerated() {
                    let prefix = "/\(kind)/\(index)"
                    let expected = reported.filter { $0.pointer.hasPrefix(prefix + "/") && !Self.betweenObjects($0) }
                    let response = try await server.client.post("\(Paths.site(site))/\(kind)", body)
                    let answered = response.errors.map { error in
                        (
                            (error["source"] as? [String: Any])?["pointer"] as? String ?? "",
                            error["message"] as? String ?? ""
                        )
                    }
                    guard !expected.isEmpty else {
                        #expect(response.status == 200 || response.status == 409, "\(name) \(prefix): \(response.text)")
                        continue
                    }
                    #expect(
                        response.status == (expected.allSatisfy { $0.code == .required } ? 400 : 422),
                        "\(name) \(prefix): \(response.text)")
                    #expect(
                        answered.map(\.0) == expected.map { String($0.pointer.dropFirst(prefix.count)) },
                        "\(name) \(prefix): \(response.text)")
                    #expect(
                        zip(answered, expected).allSatisfy { $0.0.1.hasSuffix(": " + $0.1.message) },
                        "\(name) \(prefix): \(response.text)")
                    compared += expected.count
                }
            }
        }
        #expect(compared > 3, "the fixture \(name) exercises the per-object rules")
    }
}
