/// A short, stable fingerprint of text (FNV-1a 64): detects a changed ruleset or config, not tampering.
enum Fingerprint {
    static func of(_ text: String) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
