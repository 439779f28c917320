/// A kernel CPU list such as /sys/devices/system/cpu/online: "0-3,6,8-9".
public enum CPUList {
    /// The number of CPUs in the list.
    public static func count(_ text: String) throws -> Int {
        var total = 0
        for range in text.split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
            let bounds = range.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 1 || bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds.last!), low <= high else {
                throw ParseError("'\(range)' is not a CPU or CPU range")
            }
            total += high - low + 1
        }
        guard total > 0 else { throw ParseError("empty CPU list") }
        return total
    }
}
