import Foundation
import Testing

@Suite("vconnector mock-api --retention")
struct MockAPIRetentionOptionTests {
    @Test("a retention that is not a duration of at least a minute is refused before anything starts")
    func badRetention() throws {
        for bad in ["5s", "soon", "0.5m", "7x"] {
            let run = try CLI.run(["mock-api", "--db", ":memory:", "--listen", "127.0.0.1:0", "--retention=" + bad])
            #expect(run.status != 0, "\(bad)")
            #expect(run.stderr.contains("--retention: '\(bad)' is not a duration of at least a minute"), "\(run.stderr)")
        }
    }
}
