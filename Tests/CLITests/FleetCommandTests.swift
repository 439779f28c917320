import Foundation
import Testing

@Suite("vconnector fleet, as a user runs it")
struct FleetCommandTests {
    func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("cli-fleet-\(UUID().uuidString)")
    }

    @Test(
        "a backfill to NDJSON passes fleet check (exit 0); a snapshot appended out of order fails it (exit 1) naming the connector"
    )
    func backfillAndCheck() throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let scenario = CLI.fixtures.appendingPathComponent("fleet/scenario-incidents.json").path
        let run = try CLI.run([
            "fleet", "--connectors", "4", "--from", "now-2h", "--to", "now", "--interval", "60s", "--no-live-host",
            "--scenario", scenario, "--out", "ndjson:" + directory.path,
        ])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("fleet: 4 connectors"))
        let check = try CLI.run(["fleet", "check", directory.path])
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.contains("4 connectors") && check.stdout.contains(": 0 violations"))

        let file = try #require(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).first {
                $0.hasSuffix(".snapshots.ndjson")
            })
        let path = directory.appendingPathComponent(file).path
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        try (lines.joined(separator: "\n") + "\n" + lines[0] + "\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        let broken = try CLI.run(["fleet", "check", directory.path])
        #expect(broken.status == 1)
        let connector = String(file.prefix { $0 != "." })
        #expect(
            broken.stdout.contains("\(connector) t=") && broken.stdout.contains(" t: not after the previous snapshot"))
    }

    @Test("two processes with --shard 1/2 and 2/2 write the very files one process writes; a bad --shard is refused")
    func shards() throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        func fleet(_ out: String, _ extra: [String] = []) throws -> (status: Int32, stdout: String, stderr: String) {
            try CLI.run([
                "fleet", "--connectors", "5", "--from", "1795651200", "--to", "1795654800", "--interval", "60s",
                "--no-live-host", "--out", "ndjson:" + directory.appendingPathComponent(out).path,
            ] + extra)
        }
        func files(_ out: String) throws -> [String: Data] {
            let path = directory.appendingPathComponent(out)
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: path.path) {
                files[name] = try Data(contentsOf: path.appendingPathComponent(name))
            }
            return files
        }
        let whole = try fleet("whole")
        #expect(whole.status == 0, "stderr: \(whole.stderr)")
        let first = try fleet("one", ["--shard", "1/2"]), second = try fleet("two", ["--shard", "2/2"])
        #expect(first.status == 0 && second.status == 0, "stderr: \(first.stderr) \(second.stderr)")
        #expect(first.stderr.contains("fleet: 3 connectors") && second.stderr.contains("fleet: 2 connectors"))
        let wholeFiles = try files("whole")
        #expect(wholeFiles.count == 10)
        #expect(try files("one").merging(try files("two")) { _, _ in Data() } == wholeFiles)

        let bad = try fleet("bad", ["--shard", "3/2"])
        #expect(bad.status != 0 && bad.stderr.contains("--shard: '3/2' is not K/N"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("bad").path))
    }

    @Test("fleet check takes a directory or --api, says what is missing, and never prints the token")
    func checkArguments() throws {
        let neither = try CLI.run(["fleet", "check"])
        #expect(neither.status != 0 && neither.stderr.contains("give a directory of NDJSON files, or --api"))
        let both = try CLI.run(["fleet", "check", "/tmp", "--api"])
        #expect(both.status != 0 && both.stderr.contains("give a directory or --api, not both"))
        let noBase = try CLI.run(["fleet", "check", "--api", "--account-id", "a"])
        #expect(noBase.status != 0 && noBase.stderr.contains("check --api needs --api-base"))
        let unreachable = try CLI.run([
            "fleet", "check", "--api", "--api-base", "http://127.0.0.1:9/client/v4", "--account-id", "a",
            "--api-token", "secret-token-4242",
        ])
        #expect(unreachable.status != 0)
        #expect(!(unreachable.stdout + unreachable.stderr).contains("secret-token-4242"))
    }

    @Test("a bad scenario is refused before anything runs, naming the path")
    func badScenario() throws {
        let directory = scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let scenario = directory.appendingPathComponent("scenario.json")
        try #"{"incidents": [{"kind": "reboot", "at": "1h", "connectors": [0], "wen": 1}]}"#.write(
            to: scenario, atomically: true, encoding: .utf8)
        let run = try CLI.run([
            "fleet", "--connectors", "2", "--scenario", scenario.path, "--out",
            "ndjson:" + directory.appendingPathComponent("out").path,
        ])
        #expect(run.status != 0)
        #expect(run.stderr.contains("incidents[0].wen: unknown key"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path))
    }

    @Test("the API token is never printed, even when the API cannot be reached")
    func tokenNotPrinted() throws {
        let token = "fleet-secret-\(UInt32.random(in: 0...UInt32.max))"
        let run = try CLI.run([
            "fleet", "--connectors", "1", "--no-live-host", "--api-base", "http://127.0.0.1:1/client/v4",
            "--account-id", "acc", "--api-token", token,
        ])
        #expect(run.status != 0)
        #expect(!run.stdout.contains(token) && !run.stderr.contains(token))
    }
}
