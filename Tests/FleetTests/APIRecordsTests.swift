import Fleet
import Foundation
import TestSupport
import Testing

/// `fleet check --api` puts connector ids (the account's list, or a --connector-ids file) into request paths: a
/// hostile one (`..`, `/`, `?`, newlines, quotes, `$()`...) is refused before any request is made.
@Suite struct APIRecordsTests {
    @Test("a connector id that is not an id never becomes a path", arguments: HostileStrings.corpus.map(\.value) + ["../sites", "c?x=1", "a/b"])
    func hostileConnectorIDsAreRefused(_ id: String) async throws {
        // Nothing listens on port 9: a request would fail with a connection error, not the id's refusal.
        let api = FleetAPI(base: try #require(URL(string: "http://127.0.0.1:9/client/v4")), accountID: "acc00000000000000000000000000001", token: "t")
        await #expect(throws: FleetError.self) { _ = try await api.records(of: id, from: 0, to: 1) }
    }
}
