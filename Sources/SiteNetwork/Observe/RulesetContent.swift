import Foundation
import Netlink

/// The content of the site's nft table as the kernel holds it, to notice a table edited or flushed outside
/// vconnector (`nft flush chain ip vconnector forward` must be drift, not "nothing to do"). Read from nft's JSON,
/// normalised (no handles, no counter values, no nft version), and hashed; the hash taken right after our own
/// load is kept in the state directory (`ruleset.content`) beside the fingerprint it belongs to.
enum RulesetContent {
    /// The table's fingerprint comment and the hash of its normalised content; nil when the table is absent.
    static func observe(_ nft: Nftables) -> (fingerprint: String?, hash: String)? {
        guard let output = try? nft.run("list table ip \(SiteNames.nftTable)", json: true),
            let document = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
            let items = document["nftables"] as? [Any]
        else { return nil }
        let normalised = items.compactMap(normalise).filter { item in
            !((item as? [String: Any])?.keys.contains("metainfo") ?? false)
        }
        let fingerprint = items.lazy
            .compactMap { (($0 as? [String: Any])?["rule"] as? [String: Any]) }
            .filter { $0["chain"] as? String == "fingerprint" }
            .compactMap { $0["comment"] as? String }
            .first { $0.hasPrefix("fingerprint ") }
            .map { String($0.dropFirst("fingerprint ".count)) }
        guard let data = try? JSONSerialization.data(withJSONObject: normalised, options: [.sortedKeys]) else { return nil }
        return (fingerprint, Fingerprint.of(String(decoding: data, as: UTF8.self)))
    }

    /// Drops what changes without anyone editing the table: object handles and counter values.
    private static func normalise(_ value: Any) -> Any? {
        switch value {
        case let object as [String: Any]:
            var result: [String: Any] = [:]
            for (key, member) in object where key != "handle" {
                if key == "counter", member is [String: Any] {
                    result[key] = [String: Any]()
                } else if let normalised = normalise(member) {
                    result[key] = normalised
                }
            }
            return result
        case let array as [Any]:
            return array.compactMap(normalise)
        default:
            return value
        }
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
