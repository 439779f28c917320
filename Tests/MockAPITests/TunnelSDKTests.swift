import ConnectorAPI
import Foundation
@testable import MockAPI
import Testing

/// Runs fixtures/mock-api/sdk_tunnels_check.py: the official SDK's `magic_transit.gre_tunnels`, `ipsec_tunnels`,
/// `cf_interconnects` and `routes` against a live server.
@Suite("Cloudflare Python SDK: tunnels, interconnects, routes")
struct TunnelSDKTests {
    @Test func officialPythonSDKDrivesEveryTunnelAndRouteMethod() async throws {
        try await withServer { server in
            // The API cannot create interconnects: seed one as Cloudflare would have provisioned it.
            let interconnect = try server.server.store.addInterconnect(
                CFInterconnect(coloName: "pni_ord", gre: CFInterconnectGRE(cloudflareEndpoint: "203.0.113.9"), interfaceAddress: "10.202.0.0/31", name: "pni_ord"),
                account: TestServer.account
            )
            let output = try await runSDKCheck("sdk_tunnels_check.py", on: server, extra: [try #require(interconnect.id)])
            #expect(output.contains("ipsec_tunnels.psk_generate") && output.contains("routes.empty"), "\(output)")
        }
    }
}
