import ConnectorAPI
import Foundation
@testable import MockAPI
import Testing

/// Runs fixtures/mock-api/sdk_tunnels_check.py: the official SDK's `magic_transit.gre_tunnels`, `ipsec_tunnels`,
/// `cf_interconnects` and `routes` against a live server.
@Suite("Cloudflare Python SDK: tunnels, interconnects, routes")
struct TunnelSDKTests {
    @Test func officialPythonSDKDrivesEveryTunnelAndRouteMethod() async throws {
        let probe = try await runProcess(["python3", "-c", "import cloudflare"])
        try #require(
            probe.status == 0,
            "the Cloudflare Python SDK is not installed; run: python3 -m pip install 'cloudflare>=4,<6'\n\(probe.output)"
        )
        try await withServer { server in
            // The API cannot create interconnects: seed one as Cloudflare would have provisioned it.
            let interconnect = try server.server.store.addInterconnect(
                CFInterconnect(coloName: "pni_ord", gre: CFInterconnectGRE(cloudflareEndpoint: "203.0.113.9"), interfaceAddress: "10.202.0.0/31", name: "pni_ord"),
                account: TestServer.account
            )
            let script = fixtureURL("sdk_tunnels_check.py").path
            let result = try await runProcess(["python3", script, server.base, TestServer.account, TestServer.writeToken, try #require(interconnect.id)])
            #expect(result.status == 0, "sdk_tunnels_check.py failed:\n\(result.output)")
            #expect(result.output.contains("responses parsed and validated"), "\(result.output)")
            #expect(result.output.contains("ipsec_tunnels.psk_generate") && result.output.contains("routes.empty"), "\(result.output)")
        }
    }
}
