/// /proc/PID/smaps: the resident kilobytes of a process by mapped file. Mappings without a file (heap, stacks,
/// anonymous memory) are summed as `[anonymous]`; the kernel's own ([vdso], [vvar], [vsyscall]) keep their name.
public enum ProcessMappings {
    public static let anonymous = "[anonymous]"

    /// Resident kilobytes by the mapped file's name (its last path component).
    public static func residentKilobytes(_ text: String) -> [String: UInt64] {
        var kilobytes: [String: UInt64] = [:]
        var current = anonymous
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard let first = parts.first else { continue }
            if first.contains("-"), !first.hasSuffix(":") {
                // A mapping's header: address range, permissions, offset, device, inode, then the path if any.
                let path = parts.count == 6 ? parts[5].drop(while: { $0 == " " }) : ""
                if path.hasPrefix("/") {
                    current = String(path.split(separator: "/").last ?? "")
                } else if ["[vdso]", "[vvar]", "[vsyscall]"].contains(path) {
                    current = String(path)
                } else {
                    current = anonymous
                }
            } else if first == "Rss:", parts.count >= 2, let value = UInt64(parts[1]) {
                kilobytes[current, default: 0] += value
            }
        }
        return kilobytes
    }
}
