import Testing

/// Runs fixtures/mock-api/sdk_pcaps_check.py: the official SDK's `magic_transit.pcaps` (and its ownership).
@Suite("Cloudflare Python SDK: packet captures")
struct PCAPSDKTests {
    @Test func officialPythonSDKDrivesPCAPs() async throws {
        try await withServer { server in
            let output = try await runSDKCheck("sdk_pcaps_check.py", on: server)
            #expect(output.contains("pcaps.download (pcap file)") && output.contains("pcaps.ownership.validate"), "\(output)")
        }
    }
}
