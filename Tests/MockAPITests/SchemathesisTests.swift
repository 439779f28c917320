import Foundation
import Testing

/// Whether the schemathesis CLI can run (scripts/install-deps installs it from PyPI).
let schemathesisAvailable = schemathesisImports()

private func schemathesisImports() -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import schemathesis"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}

/// schemathesis against the mock's own openapi.json: every check (a schema-valid request refused with 404, 409
/// or 422 excepted: fixtures/mock-api/schemathesis.toml says why), a few examples per operation, 90 s of
/// fuzzing. It fails on any 5xx, response that violates the document, status the document does not give,
/// wrong answer to an undeclared method, or authentication the server ignores.
@Suite("schemathesis", .serialized, .timeLimit(.minutes(4)), .enabled(if: schemathesisAvailable, "schemathesis is not installed (python3 -m pip install 'schemathesis>=4.32,<5'; scripts/install-deps)"))
struct SchemathesisTests {
    @Test("the mock answers every generated request as its openapi.json says")
    func fuzz() async throws {
        try await withServer { server in
            let script = fixtureURL("schemathesis_check.py").path
            let run = try await runProcess(["python3", script, server.base, TestServer.account, TestServer.writeToken, "90"])
            #expect(run.status == 0, "schemathesis found failures:\n\(run.output.suffix(20_000))")
            #expect(run.output.contains("Test cases:"), "schemathesis ran: \(run.output.suffix(2000))")
        }
    }
}
