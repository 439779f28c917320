import Testing

@testable import SiteNetwork

/// The nft table's content as observed: counters counting are no change, anything else is.
@Suite struct RulesetContentTests {
    static let table = #"{"nftables": [{"rule": {"chain": "forward", "handle": 7, "expr": [{"counter": {"packets": 12, "bytes": 3400}}, {"drop": null}], "comment": "LAN to LAN"}}, {"rule": {"chain": "fingerprint", "handle": 9, "expr": [{"counter": {"packets":0,"bytes":0}}], "comment": "fingerprint 5bb2f3986d11f293"}}]}"#

    @Test func countersAreBlankedAndNothingElse() {
        let counted = Self.table.replacingOccurrences(of: #""packets": 12, "bytes": 3400"#, with: #""packets": 99999, "bytes": 123456789"#)
        #expect(RulesetContent.blankingCounters(counted) == RulesetContent.blankingCounters(Self.table))
        let edited = Self.table.replacingOccurrences(of: #"{"drop": null}"#, with: #"{"accept": null}"#)
        #expect(RulesetContent.blankingCounters(edited) != RulesetContent.blankingCounters(Self.table))
        #expect(!RulesetContent.blankingCounters(Self.table).contains("3400"))
    }

    @Test func theFingerprintIsReadFromTheComment() {
        #expect(RulesetContent.fingerprint(in: Self.table) == "5bb2f3986d11f293")
        #expect(RulesetContent.fingerprint(in: #"{"nftables": []}"#) == nil)
    }
}
