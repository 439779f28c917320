import ConnectorAPI
import Foundation
import Testing

@Suite("Events follow the documented kinds and shape")
struct EventTests {
    /// The `k: "Kind"` values listed in the Get Event section.
    func documentedKinds() throws -> Set<String> {
        let section = try SeedSchema.fixture("get-event.md")
        var kinds = Set<String>()
        for line in section.components(separatedBy: "\n") where line.hasPrefix("- `k: \"") {
            kinds.insert(String(line.dropFirst("- `k: \"".count).prefix(while: { $0 != "\"" })))
        }
        return kinds
    }

    @Test("all 16 documented kinds and no others")
    func kindsMatchSeed() throws {
        let documented = try documentedKinds()
        #expect(documented.count == 16)
        #expect(Set(EventKind.allCases.map(\.rawValue)) == documented)
    }

    @Test("the committed Get Event excerpt matches ../shared/seeds, where present")
    func excerptMatchesSharedSeed() throws {
        guard let document = SeedSchema.sharedSeed() else { return }
        #expect(SeedSchema.section("Get Event", in: document) == (try SeedSchema.fixture("get-event.md")))
    }

    @Test("a recorded event encodes as {e: {k}, n, t, v}", arguments: EventKind.allCases)
    func encodesEachKind(kind: EventKind) throws {
        let event = Event(payloadFree: kind) ?? .startUpgrade(url: "https://example.invalid/bundle.tar")
        let recorded = RecordedEvent(e: event, n: 3, t: 1_700_000_000.25, v: "0.1.0")
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(recorded)) as? [String: Any])
        #expect(Set(json.keys) == ["e", "n", "t", "v"])
        let e = try #require(json["e"] as? [String: Any])
        #expect(e["k"] as? String == kind.rawValue)
        #expect(Set(e.keys) == (kind == .startUpgrade ? ["k", "url"] : ["k"]))
        #expect(try JSONDecoder().decode(RecordedEvent.self, from: JSONEncoder().encode(recorded)) == recorded)
    }

    @Test("StartUpgrade without its url, or an unknown kind, is rejected")
    func rejectsMalformedEvents() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Event.self, from: Data(#"{"k":"StartUpgrade"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Event.self, from: Data(#"{"k":"Reboot"}"#.utf8)) }
    }
}
