/// Where a fleet's records go. `deliver` is called once per step with every connector's records of that step,
/// never concurrently; `finish` once at the end, after the Leave events.
public protocol FleetSink: Sendable {
    func deliver(_ batch: [ConnectorRecords]) async throws
    func finish() async throws
}
