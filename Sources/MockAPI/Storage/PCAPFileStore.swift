import Foundation

/// The pcap files connectors uploaded, by capture id (ids are unique across accounts; callers reach a file only
/// through a capture of their own account).
enum PCAPFileStore {
    /// 16 MiB: a simple capture of 10,000 packets of an Ethernet frame each, with room to spare.
    static let maximumBytes = 16 * 1024 * 1024

    static func put(db: SQLSession, pcap: String, bytes: Data) throws {
        try db.execute(
            sql: "INSERT INTO pcap_files (pcap_id, bytes) VALUES (?, ?) ON CONFLICT(pcap_id) DO UPDATE SET bytes = excluded.bytes",
            arguments: [pcap, bytes]
        )
    }

    static func get(db: SQLSession, pcap: String) throws -> Data? {
        try Data.fetchOne(db, sql: "SELECT bytes FROM pcap_files WHERE pcap_id = ?", arguments: [pcap])
    }
}
