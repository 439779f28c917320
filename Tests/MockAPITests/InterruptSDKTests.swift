import Testing

/// Runs fixtures/mock-api/sdk_interrupts_check.py: the official SDK's `magic_transit.connectors.interrupts`.
@Suite("Cloudflare Python SDK: connector interrupts")
struct InterruptSDKTests {
    @Test func officialPythonSDKDrivesInterrupts() async throws {
        try await withServer { server in
            let output = try await runSDKCheck("sdk_interrupts_check.py", on: server)
            #expect(output.contains("interrupts.list item") && output.contains("409 pending"), "\(output)")
        }
    }
}
