import ConnectorAPI
import Foundation
import Testing

@Suite("Snapshot schema equals the documented one")
struct SnapshotSchemaTests {
    let documented: [SeedField]

    init() throws {
        documented = try SeedSchema.resultFields(in: try SeedSchema.fixture("get-snapshot.md"))
    }

    @Test("the committed seed excerpt is the Get Snapshot section of ../shared/seeds, where present")
    func excerptMatchesSharedSeed() throws {
        guard let document = SeedSchema.sharedSeed() else { return }
        let section = try #require(SeedSchema.section("Get Snapshot", in: document))
        #expect(section == (try SeedSchema.fixture("get-snapshot.md")))
    }

    @Test("the seed documents 173 top-level fields and the nested objects")
    func documentedCounts() {
        #expect(documented.count == 173)
        let nested = Dictionary(uniqueKeysWithValues: documented.compactMap { field in field.children.map { (field.name, $0.count) } })
        #expect(nested == ["bonds": 2, "dhcp_leases": 6, "disks": 20, "interfaces": 4, "mounts": 8, "netdevs": 17, "thermals": 4, "tunnels": 7])
    }

    @Test("every documented field survives a decode/encode round trip under its exact name")
    func roundTripKeepsEveryField() throws {
        let example = SeedSchema.exampleObject(documented)
        let data = try JSONSerialization.data(withJSONObject: example)
        let snapshot = try JSONDecoder().decode(Snapshot.self, from: data)
        let encoded = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(snapshot))
        let expected = SeedSchema.keyTree(example)
        let actual = SeedSchema.keyTree(encoded)
        #expect(Set(actual.keys) == Set(expected.keys), "top-level names differ")
        for (name, subtree) in expected {
            if let subtree = subtree as? [String: Any] {
                #expect(Set((actual[name] as? [String: Any] ?? [:]).keys) == Set(subtree.keys), "fields of \(name) differ")
            }
        }
        let interfaces = try #require((actual["interfaces"] as? [String: Any])?["ip_addresses"] as? [String: Any])
        #expect(Set(interfaces.keys) == ["interface_name", "ip_address"])
    }

    @Test("Snapshot has no stored property beyond the documented fields")
    func noExtraProperties() {
        let snapshot = Snapshot(t: 0, v: "x")
        #expect(Mirror(reflecting: snapshot).children.count == documented.count)
    }

    @Test("required fields are the documented non-optional ones and are always encoded")
    func requiredFieldsAlwaysPresent() throws {
        let encoded = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(Snapshot(t: 12.5, v: "1.0"))) as? [String: Any])
        let required = Set(documented.filter { !$0.optional }.map(\.name))
        #expect(Set(encoded.keys) == required)
        #expect(required == ["count_reclaim_failures", "count_reclaimed_paths", "count_record_failed", "count_transmit_failures", "t", "v"])
    }

    @Test("an unknown optional value is omitted from the JSON, never written as 0 or null")
    func nilFieldsAreOmitted() throws {
        var snapshot = Snapshot(t: 1, v: "1")
        snapshot.memoryTotalBytes = 0
        let text = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
        #expect(text.contains("\"memory_total_bytes\":0"))
        #expect(!text.contains("memory_free_bytes"))
        #expect(!text.contains("null"))
    }
}
