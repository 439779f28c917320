/// /proc/self/mountinfo: one mount per line,
/// "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue".
public struct MountInfo: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var major: Int
        public var minor: Int
        public var mountPoint: String
        public var fileSystemType: String
        /// The mount source, e.g. /dev/vda1 (fs-specific for pseudo filesystems).
        public var source: String
        /// True when the per-mount options contain "ro".
        public var isReadOnly: Bool
    }

    public var entries: [Entry] = []

    public static func parse(_ text: String) throws -> MountInfo { try text.withTextBytes(parse(bytes:)) }

    public static func parse(bytes: TextBytes) throws -> MountInfo {
        var info = MountInfo()
        for line in LineIterator(bytes) where !line.isEmpty {
            var reader = FieldReader(line)
            let fields = reader.remaining()
            guard let separator = fields.firstIndex(where: { $0.equals("-") }), separator >= 6, fields.count >= separator + 3 else {
                throw ParseError("line '\(line.string)' lacks the ' - type source' part")
            }
            let device = fields[2]
            guard let colon = device.firstIndex(of: UInt8(ascii: ":")),
                  let major = Numbers.uint64(device[device.startIndex..<colon]),
                  let minor = Numbers.uint64(device[(colon + 1)...])
            else { throw ParseError("'\(device.string)' is not major:minor") }
            info.entries.append(Entry(
                major: Int(major), minor: Int(minor),
                mountPoint: unescape(fields[4].string),
                fileSystemType: fields[separator + 1].string,
                source: unescape(fields[separator + 2].string),
                isReadOnly: hasOption("ro", in: fields[5])
            ))
        }
        return info
    }

    /// True when a comma-separated option list holds `option` exactly.
    static func hasOption(_ option: StaticString, in list: TextSlice) -> Bool {
        var start = list.startIndex
        while start <= list.endIndex {
            let end = list[start...].firstIndex(of: UInt8(ascii: ",")) ?? list.endIndex
            if list[start..<end].equals(option) { return true }
            start = end + 1
        }
        return false
    }

    /// The kernel escapes space, tab, newline and backslash as \040, \011, \012, \134.
    static func unescape(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "\\")) else { return text }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count {
                let digits = utf8[(index + 1)...(index + 3)]
                if digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x37 }) {
                    bytes.append(digits.reduce(0) { $0 &* 8 &+ ($1 - 0x30) })
                    index += 4
                    continue
                }
            }
            bytes.append(utf8[index])
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
