import ConnectorAPI
import Crypto
import Foundation
import Logging

/// Attestation at start (retried with backoff until the API accepts the key), then crypt-key and PKI rotation on
/// schedule (`rotateKeyInterval`, `rotatePkiInterval`) and on demand (`requestRotation`).
extension Agent {
    /// Rotates the device key or the certificate as soon as the device is attested; callable from any thread.
    public func requestRotation(_ kind: RotationKind) {
        device.trigger.yield(.requested(kind))
    }

    /// The key the API has enrolled for this device, once attested.
    public var attestation: AttestationResult? { device.attestation.withLock { $0 } }

    /// The certificate issued for this device (PEM), if any.
    public var certificatePEM: String? { device.keys.pki()?.certificate }

    var identity: IdentityClient { IdentityClient(client: client) }

    func identityLoop() async {
        guard configuration.attestation else {
            device.markAttestationDecided()
            return
        }
        guard await attestUntilAccepted() else { return }
        await withTaskGroup(of: Void.self) { group in
            let interval = configuration.checkinInterval
            group.addTask {
                while !Task.isCancelled {
                    self.device.trigger.yield(.tick)
                    do { try await Task.sleep(for: .seconds(interval)) } catch { return }
                }
            }
            var retryAt: [RotationKind: Double] = [:]
            var backoffs: [RotationKind: Backoff] = [:]
            for await trigger in device.triggers {
                let due: [RotationKind]
                switch trigger {
                case .requested(let kind): due = [kind]
                case .tick: due = RotationKind.allCases.filter { isDue($0) && Date().timeIntervalSince1970 >= retryAt[$0, default: 0] }
                }
                for kind in due {
                    let succeeded = await rotate(kind)
                    var backoff = backoffs[kind] ?? Backoff(initial: configuration.backoffInitial, cap: max(configuration.backoffCap, 300))
                    if succeeded { backoff.reset() } else { retryAt[kind] = Date().timeIntervalSince1970 + backoff.next() }
                    backoffs[kind] = backoff
                }
            }
            group.cancelAll()
        }
    }

    /// Whether a scheduled rotation is due: its interval has passed since the key (or certificate) last changed.
    private func isDue(_ kind: RotationKind) -> Bool {
        let now = Date().timeIntervalSince1970
        switch kind {
        case .cryptKey:
            guard let interval = configuration.rotateKeyInterval else { return false }
            return now - (device.keys.deviceKeyChanged ?? 0) >= interval
        case .pki:
            guard let interval = configuration.rotatePkiInterval else { return false }
            return now - (device.keys.pkiChanged ?? 0) >= interval
        }
    }

    // MARK: Attestation

    /// `StartAttestation`, then `FinishAttestationSuccess`, or `FinishAttestationFailure` and a new attempt after
    /// a backoff. While the API cannot be reached an attempt stays open (one Start, one Finish). False if cancelled.
    private func attestUntilAccepted() async -> Bool {
        var backoff = Backoff(initial: configuration.backoffInitial, cap: configuration.backoffCap)
        var unreachable = false
        while !Task.isCancelled {
            record(.startAttestation)
            while true {
                do {
                    let result = try await attestOnce()
                    device.attestation.withLock { $0 = result }
                    record(.finishAttestationSuccess)
                    logger.info("attested", metadata: ["fingerprint": "\(result.fingerprint)", "enrolled_at": "\(result.enrolledAt)"])
                    device.markAttestationDecided()
                    return true
                } catch let error as APIUnavailable {
                    if Task.isCancelled { return false }
                    if !unreachable { logger.warning("attestation: API unreachable; retrying", metadata: ["error": "\(error)"]) }
                    unreachable = true
                    do { try await Task.sleep(for: .seconds(backoff.next())) } catch { return false }
                } catch {
                    record(.finishAttestationFailure)
                    logger.error("attestation refused; retrying after a backoff", metadata: ["error": "\(error)"])
                    device.markAttestationDecided()
                    break
                }
            }
            unreachable = false
            do { try await Task.sleep(for: .seconds(backoff.next())) } catch { return false }
        }
        return false
    }

    /// One proof of the device key. A key left by an interrupted rotation is settled first: if the API took it
    /// (the current key is refused with 403 and the next one accepted) it becomes the device key.
    private func attestOnce() async throws -> AttestationResult {
        let current = try device.keys.deviceKey()
        do {
            let result = try await identity.attest(current)
            if try device.keys.nextDeviceKey() != nil {
                logger.notice("an interrupted key rotation did not reach the API; dropping its key")
                device.keys.discardNextDeviceKey()
            }
            return result
        } catch let refusal as APIRefusal where refusal.status == 403 {
            guard let next = try device.keys.nextDeviceKey() else { throw refusal }
            let result = try await identity.attest(next)
            try device.keys.promoteNextDeviceKey()
            logger.notice("an interrupted key rotation had reached the API; its key is now the device key", metadata: ["fingerprint": "\(result.fingerprint)"])
            return result
        }
    }

    // MARK: Rotation

    /// One rotation with its Start and Finish events; true when it succeeded. On failure the old identity stays.
    @discardableResult
    func rotate(_ kind: RotationKind) async -> Bool {
        switch kind {
        case .cryptKey:
            record(.startRotateCryptKey)
            do {
                // A rotation that was cut off must be settled before a new key replaces the staged one.
                if try device.keys.nextDeviceKey() != nil { device.attestation.withLock { $0 = nil }; _ = try await attestOnce() }
                let old = try device.keys.deviceKey()
                let new = P256.Signing.PrivateKey()
                try device.keys.stageNextDeviceKey(new)
                let result: AttestationResult
                do {
                    result = try await identity.rotate(from: old, to: new)
                } catch let error as APIUnavailable {
                    // The API may have taken the new key: keep it staged; the next attestation or rotation settles it.
                    throw error
                } catch {
                    device.keys.discardNextDeviceKey()
                    throw error
                }
                try device.keys.promoteNextDeviceKey()
                device.attestation.withLock { $0 = result }
                record(.finishRotateCryptKeySuccess)
                logger.info("device key rotated", metadata: ["old_fingerprint": "\(old.publicKey.fingerprint)", "fingerprint": "\(result.fingerprint)"])
                return true
            } catch {
                record(.finishRotateCryptKeyFailure)
                logger.error("device key rotation failed; the old key stays", metadata: ["error": "\(error)"])
                return false
            }
        case .pki:
            record(.startRotatePki)
            do {
                let pki = try await identity.certificate(for: P256.Signing.PrivateKey(), endorsedBy: try device.keys.deviceKey())
                try device.keys.storePKI(pki)
                record(.finishRotatePkiSuccess)
                logger.info("certificate issued", metadata: ["serial_number": "\(pki.serialNumber)", "not_after": "\(pki.notAfter)"])
                return true
            } catch {
                record(.finishRotatePkiFailure)
                logger.error("certificate rotation failed; the old certificate stays", metadata: ["error": "\(error)"])
                return false
            }
        }
    }
}
