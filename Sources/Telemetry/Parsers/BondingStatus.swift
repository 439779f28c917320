/// /proc/net/bonding/BOND: the bond's own "MII Status:" comes before any "Slave Interface:" block.
public enum BondingStatus {
    /// The bond's MII status ("up", "down").
    public static func parse(_ text: String) throws -> String {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("Slave Interface:") { break }
            if line.hasPrefix("MII Status:") {
                let status = line.dropFirst("MII Status:".count).trimmingCharacters(in: " \t")
                guard !status.isEmpty else { throw ParseError("empty MII Status") }
                return status
            }
        }
        throw ParseError("no MII Status line for the bond")
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        String(drop(while: { set.contains($0) }).reversed().drop(while: { set.contains($0) }).reversed())
    }
}
