import ConnectorAPI
import Foundation
import Synchronization

/// Which identity to rotate on demand (`Agent.requestRotation`, SIGUSR1/SIGUSR2 in the CLI).
public enum RotationKind: String, Sendable, CaseIterable {
    /// The attested device key (`StartRotateCryptKey`...).
    case cryptKey = "crypt-key"
    /// The certificate and its key, issued by the account's CA (`StartRotatePki`...).
    case pki
}

/// What the identity, upgrade and tunnel work of the agent keep between runs of their loops: the keys, the
/// installed versions and the running version, rotation requests, and whether the first attestation is decided.
final class DeviceState: Sendable {
    enum Trigger: Sendable {
        case requested(RotationKind)
        case tick
    }

    let keys: KeyStore
    let versions: VersionStore
    let tunnel: CloudflaredTunnel
    /// The `v` of records from now on: the installed upgrade's version, else the configured one.
    let version: Mutex<String>
    let attestation = Mutex<AttestationResult?>(nil)
    let upgrade = Mutex(UpgradeMemory())
    let triggers: AsyncStream<Trigger>
    let trigger: AsyncStream<Trigger>.Continuation
    /// Opens when the first attestation attempt has an answer (or attestation is off): check-ins wait for it, so
    /// the events read Init, StartAttestation, Finish..., then Reconcile.
    let attestationDecided = Latch()

    init(stateDirectory: String, configuredVersion: String) throws {
        keys = try KeyStore(stateDirectory: stateDirectory)
        let versions = try VersionStore(stateDirectory: stateDirectory)
        self.versions = versions
        tunnel = try CloudflaredTunnel(stateDirectory: stateDirectory)
        version = Mutex(versions.current()?.version ?? configuredVersion)
        (triggers, trigger) = AsyncStream.makeStream(of: Trigger.self, bufferingPolicy: .bufferingNewest(8))
    }

    func markAttestationDecided() { attestationDecided.open() }

    var currentVersion: String { version.withLock { $0 } }
}
