import Foundation
import Testing

@Suite("vconnector bench fleet --paced, as a user runs it", .serialized, .timeLimit(.minutes(2)))
struct BenchFleetCommandTests {
    /// The whole paced bench, small: a fleet process of 20 connectors at 1 s against the bench's mock, measured for
    /// 2 s. Its figures come from that process (CPU, RSS) and from the mock (snapshots stored).
    @Test("a small paced fleet is measured from its own process and the mock's counters")
    func pacedRun() throws {
        let run = try CLI.run(["bench", "fleet", "--paced", "--connectors", "20", "--interval", "1", "--seconds", "3"])
        #expect(run.status == 0, "\(run.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(result["connectors"] as? Int == 20)
        #expect(result["expected_snapshots_per_s"] as? Double == 20)
        // 20 connectors at 1 s: about 20 a second reach the mock (a window's edges move it a little).
        let stored = try #require(result["mock_snapshots_stored_per_s"] as? Double)
        #expect(stored >= 10 && stored <= 30, "\(stored) stored/s")
        let cpu = try #require(result["fleet_cpu_percent_of_core"] as? Double)
        #expect(cpu > 0 && cpu < 50, "\(cpu) % of a core for 20 connectors")
        let rss = try #require(result["fleet_rss_mb_median"] as? Double)
        #expect(rss > 1 && rss < 300, "\(rss) MB")
        #expect((result["summary"] as? String)?.hasPrefix("fleet: 20 connectors") == true, "\(result)")
    }

    @Test("nonsense numbers are refused before anything starts")
    func badOptions() throws {
        let run = try CLI.run(["bench", "fleet", "--paced", "--interval", "0.01"])
        #expect(run.status != 0 && run.stderr.contains("--interval must be at least 0.25"), "\(run.stderr)")
    }
}
