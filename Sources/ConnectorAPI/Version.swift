/// The vconnector version, reported as `v` in every snapshot and event.
public enum VConnectorVersion {
    public static let current = "0.1.0"
}
