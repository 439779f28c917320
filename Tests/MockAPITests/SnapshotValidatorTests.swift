import ConnectorAPI
import Foundation
import Telemetry
import Testing

@testable import MockAPI

/// The snapshot ingest fast path: its schema is recorded from `Snapshot` itself, and over real, fleet-generated
/// and mutated snapshots its verdict never differs from JSONDecoder's (it may only leave a body to JSONDecoder).
@Suite("Snapshot validator")
struct SnapshotValidatorTests {
    static func validator() throws -> ShapeValidator {
        try #require(SnapshotFastPath.validator, "Snapshot is no longer recordable")
    }

    /// JSONDecoder's verdict as ingest asks it: an object, or a non-empty array of them.
    static func decoderAccepts(_ bytes: [UInt8]) -> Bool {
        let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if first == UInt8(ascii: "[") {
            return ((try? JSONDecoder().decode([Snapshot].self, from: Data(bytes))) ?? []).isEmpty == false
        }
        return (try? JSONDecoder().decode(Snapshot.self, from: Data(bytes))) != nil
    }

    static func base(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Real snapshots: the documented example, the fixture hosts, fleet-generated ones, and this machine now.
    static func realSnapshots() throws -> [(name: String, text: String)] {
        var texts: [(String, String)] = []
        texts.append(("documented example", try String(contentsOf: fixtureURL("snapshot.json"), encoding: .utf8)))
        let golden = fixtureURL("snapshot.json").deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("golden")
        for name in ["linux-4", "linux-6", "sensors-bond-usb"] {
            texts.append((name, try String(contentsOf: golden.appendingPathComponent("\(name).json"), encoding: .utf8)))
        }
        let fleet = try String(contentsOf: fixtureURL("fleet-snapshots.ndjson"), encoding: .utf8)
        for (index, line) in fleet.split(separator: "\n").enumerated() {
            texts.append(("fleet \(index)", String(line)))
        }
        let live = try SnapshotCollector().collect().snapshot
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        texts.append(("this machine", String(decoding: try encoder.encode(live), as: UTF8.self)))
        return texts
    }

    @Test("the schema is Snapshot's: every documented field, required exactly where Snapshot requires it")
    func schemaIsRecordedFromTheType() throws {
        let validator = try Self.validator()
        let documented = try Self.base(try String(contentsOf: fixtureURL("snapshot.json"), encoding: .utf8))
        let names = Set(validator.root.fields.map { String(decoding: $0.name, as: UTF8.self) })
        #expect(names == Set(documented.keys))
        #expect(names.count == 173)
        let required = Set(validator.root.fields.filter(\.required).map { String(decoding: $0.name, as: UTF8.self) })
        #expect(
            required == [
                "count_reclaim_failures", "count_reclaimed_paths", "count_record_failed", "count_transmit_failures",
                "t", "v",
            ])
        guard let disks = validator.root.index(of: "disks"),
            case .array(of: .object(let disk)) = validator.root.fields[disks].shape
        else {
            Issue.record("disks is not an array of objects")
            return
        }
        #expect(disk.requiredCount == 14 && disk.fields.count == 20)
        guard let cpu = validator.root.index(of: "cpu_count"),
            case .integer(let min, let max) = validator.root.fields[cpu].shape
        else {
            Issue.record("cpu_count is not an integer")
            return
        }
        #expect(min == Int64.min && max == UInt64(Int64.max))
    }

    @Test("real snapshots and batches of them take the fast path")
    func realSnapshotsAreValid() throws {
        let validator = try Self.validator()
        let texts = try Self.realSnapshots()
        for (name, text) in texts {
            guard case .valid(let items) = validator.validate(Array(text.utf8)) else {
                Issue.record("\(name) is not accepted by the validator")
                continue
            }
            #expect(items.count == 1)
            #expect(Self.decoderAccepts(Array(text.utf8)), "\(name)")
        }
        let batch = "[" + texts.map { $0.text }.joined(separator: ",\n") + "]"
        guard case .valid(let items) = validator.validate(Array(batch.utf8)) else {
            Issue.record("the batch is not accepted")
            return
        }
        #expect(items.count == texts.count)
        for (item, text) in zip(items, texts) {
            #expect(
                String(decoding: Array(batch.utf8)[item.range], as: UTF8.self)
                    == text.text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    @Test("differential: over real snapshots and their mutations, the validator never contradicts JSONDecoder")
    func neverContradictsJSONDecoder() throws {
        let validator = try Self.validator()
        var (total, decided, valid) = (0, 0, 0)
        let texts = try Self.realSnapshots()
        for (index, (name, text)) in texts.enumerated() {
            // Every field of three bases is mutated (the rest: the body itself); JSONDecoder takes ~0.3 ms a body.
            let mutated = ["documented example", "fleet 0", "this machine"].contains(name) || index == 0
            var bodies = [text]
            if mutated { bodies += SnapshotMutations.corpus(of: try Self.base(text)) }
            for body in bodies {
                let bytes = Array(body.utf8)
                let accepts = Self.decoderAccepts(bytes)
                total += 1
                switch validator.validate(bytes) {
                case .valid:
                    decided += 1
                    valid += 1
                    #expect(accepts, "validator accepts what JSONDecoder refuses (\(name)): \(body.prefix(400))")
                case .invalid:
                    decided += 1
                    #expect(!accepts, "validator refuses what JSONDecoder accepts (\(name)): \(body.prefix(400))")
                case .undecided:
                    break
                }
            }
        }
        // The corpus is large and most of it decided: a validator that leaves everything to JSONDecoder fails here.
        #expect(total > 30_000, "corpus of \(total)")
        #expect(Double(decided) > 0.7 * Double(total), "decided \(decided) of \(total)")
        #expect(valid > 1_000, "valid \(valid)")
    }

    @Test("through the API: fast-path snapshots are stored byte for byte; refused ones still name the field")
    func apiBehaviourIsUnchanged() async throws {
        try await withServer { server in
            let client = server.client
            let connector = try #require(
                try await client.createConnector(["device": ["id": "fast-path"]])["id"] as? String)
            let base = Paths.telemetry(connector)
            var object = try snapshotBody(t: 1_700_000_000)
            let text = SnapshotMutations.serialize(object)
            let stored = try await client.send("POST", "\(base)/snapshots", raw: text)
            #expect(stored.status == 200, "\(stored.text)")
            let back = try await client.get("\(base)/snapshots/1700000000")
            #expect(back.status == 200)
            #expect(back.text.contains(text), "not stored as sent")

            object["t"] = 1_700_000_010
            object["disks"] = [["name": "sda"]]
            let missing = try await client.send("POST", "\(base)/snapshots", raw: SnapshotMutations.serialize(object))
            expectFailure(missing, status: 400, code: Code.missingField, mentions: "disks[0].")
            object["disks"] = nil
            object["memory_total_bytes"] = "lots"
            let wrongType = try await client.send(
                "POST", "\(base)/snapshots", raw: "[\(text),\(SnapshotMutations.serialize(object))]")
            expectFailure(wrongType, status: 400, code: Code.wrongType, mentions: "[1].memory_total_bytes")
            let count = try await client.get("\(base)/snapshots?from=0&to=1e12").object["count"] as? Int
            #expect(count == 1, "a refused batch stored something")
        }
    }
}
