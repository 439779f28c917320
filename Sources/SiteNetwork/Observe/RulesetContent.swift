import Foundation
import Netlink

/// The content of the site's nft table as the kernel holds it, to notice a table edited or flushed outside
/// vconnector (`nft flush chain ip vconnector forward` must be drift, not "nothing to do"). Read from nft's JSON
/// and hashed with the counters' values blanked (packets counted are no edit); the hash taken right after our own
/// load is kept in the state directory (`ruleset.content`) beside the fingerprint it belongs to. Object handles
/// stay in: they change only when rules are deleted and added again, which is an edit too.
enum RulesetContent {
    /// The table's fingerprint comment and the hash of its content; nil when the table is absent.
    static func observe(_ nft: Nftables) -> (fingerprint: String?, hash: String)? {
        guard let output = try? nft.run("list table ip \(SiteNames.nftTable)", json: true), output.contains("\"nftables\"") else {
            return nil
        }
        let normalised = blankingCounters(output)
        return (fingerprint(in: output), Fingerprint.of(normalised))
    }

    /// The text of the `fingerprint <hex>` rule comment, read from nft's JSON text.
    static func fingerprint(in json: String) -> String? {
        guard let range = json.range(of: "\"comment\": \"fingerprint ") ?? json.range(of: "\"comment\":\"fingerprint ") else { return nil }
        let hex = json[range.upperBound...].prefix { $0.isHexDigit }
        return hex.isEmpty ? nil : String(hex)
    }

    /// `"packets": 12, "bytes": 3400` -> `"packets": , "bytes": `: counters count, and that is no change.
    static func blankingCounters(_ json: String) -> String {
        let bytes = Array(json.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        let keys = [Array("\"packets\":".utf8), Array("\"bytes\":".utf8)]
        var index = 0
        while index < bytes.count {
            if let key = keys.first(where: { bytes[index...].starts(with: $0) }) {
                result += key
                index += key.count
                while index < bytes.count, bytes[index] == 0x20 || (0x30...0x39).contains(bytes[index]) { index += 1 }
                continue
            }
            result.append(bytes[index])
            index += 1
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The record of what was loaded: `<fingerprint> <content hash>`.
    static func recordFile(_ names: SiteNames) -> String { "\(names.stateDirectory)/ruleset.content" }

    static func record(fingerprint: String, hash: String, names: SiteNames) throws {
        try Daemons.write("\(fingerprint) \(hash)\n", to: recordFile(names), mode: 0o600)
    }

    /// True when the table holds exactly what vconnector loaded for `fingerprint`.
    static func isIntact(fingerprint: String?, hash: String, names: SiteNames) -> Bool {
        guard let fingerprint, let text = try? String(contentsOfFile: recordFile(names), encoding: .utf8) else { return false }
        return text.trimmingCharacters(in: .whitespacesAndNewlines) == "\(fingerprint) \(hash)"
    }
}
