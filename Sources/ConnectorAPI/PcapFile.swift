import Foundation

/// The libpcap file format, as tcpdump writes it and a capture downloads: a 24-byte header whose magic number
/// gives the byte order, then one record per packet (a 16-byte header whose third field is the captured length,
/// then that many bytes). The agent cuts a capture to a size bound at a record boundary; mock-api checks an
/// uploaded file with it.
public enum PcapFile {
    public static let headerLength = 24
    public static let recordHeaderLength = 16
    /// No libpcap writes a record longer than this (its largest snap length).
    public static let maximumRecordLength = 262_144

    /// The whole records of `data` that end within `limit` bytes: how many, and where the last one ends. nil when
    /// `data` does not start with a libpcap header or a record claims an impossible length.
    public static func records(in data: Data, limit: Int = .max) -> (count: Int, end: Int)? {
        let bytes = [UInt8](data.prefix(headerLength))
        guard bytes.count == headerLength else { return nil }
        let magic = bytes[0..<4]
        let little: Bool
        switch Array(magic) {
        case [0xD4, 0xC3, 0xB2, 0xA1], [0x4D, 0x3C, 0xB2, 0xA1]: little = true
        case [0xA1, 0xB2, 0xC3, 0xD4], [0xA1, 0xB2, 0x3C, 0x4D]: little = false
        default: return nil
        }
        var (count, end) = (0, headerLength)
        let start = data.startIndex
        while end + recordHeaderLength <= data.count {
            let field = data[(start + end + 8)..<(start + end + 12)].map(UInt32.init)
            let length = Int(little
                ? field[0] | field[1] << 8 | field[2] << 16 | field[3] << 24
                : field[3] | field[2] << 8 | field[1] << 16 | field[0] << 24)
            guard length <= maximumRecordLength else { return nil }
            let next = end + recordHeaderLength + length
            guard next <= data.count, next <= limit else { break }
            (count, end) = (count + 1, next)
        }
        return (count, end)
    }
}
