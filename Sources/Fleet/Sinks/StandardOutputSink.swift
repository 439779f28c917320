import Blocking
import Foundation

/// Every record on standard output, one JSON object per line, wrapped with its connector (the seed's records
/// carry no connector id): `{"connector_id":"…","event":{…}}` or `{"connector_id":"…","snapshot":{…}}`.
public struct StandardOutputSink: FleetSink {
    public init() {}

    public func deliver(_ batch: [ConnectorRecords]) async throws {
        var output = Data()
        for records in batch {
            for (kind, lines) in [("event", records.events), ("snapshot", records.snapshots)] {
                for line in lines {
                    output.append(contentsOf: #"{"connector_id":"\#(records.connectorID)","\#(kind)":"#.utf8)
                    output.append(line)
                    output.append(contentsOf: "}\n".utf8)
                }
            }
        }
        guard !output.isEmpty else { return }
        let lines = output
        try await Blocking.run { _ in try FileHandle.standardOutput.write(contentsOf: lines) }
    }

    public func finish() async throws {}
}
