import Agent
import ConnectorAPI
import Crypto
import Foundation
import Testing
import X509

/// Attestation, crypt-key and PKI rotation against a real mock-api on loopback.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct AgentIdentityTests {
    func identityConfiguration(_ mock: LoopbackMock, _ connector: String, state: String) -> AgentConfiguration {
        var configuration = testConfiguration(mock: mock, connector: connector, stateDirectory: state)
        configuration.attestation = true
        configuration.snapshotInterval = 0.5
        return configuration
    }

    func kinds(_ mock: LoopbackMock, _ connector: String) async throws -> [String] {
        try await mock.events(connector: connector).map(\.kind)
    }

    @Test("the device key is created once (0600), enrolled at the first attestation and proven again after a restart")
    func attestationEnrollsAndSurvivesRestart() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        let state = temporaryStateDirectory()
        let configuration = identityConfiguration(mock, connector, state: state)

        let first = try Agent(configuration: configuration, logger: quietLogger, snapshotSource: countersOnlySnapshot)
        let firstRun = launch(first)
        #expect(
            try await eventually {
                try await kinds(mock, connector) == ["Init", "StartAttestation", "FinishAttestationSuccess"]
            })
        first.stop()
        await firstRun.value
        let keyFile = state + "/identity/device-key.pem"
        let key = try String(contentsOfFile: keyFile, encoding: .utf8)
        #expect(key.contains("BEGIN PRIVATE KEY"))
        #expect(mode(keyFile) == 0o600 && mode(state + "/identity") == 0o700)
        let enrolled = try await mock.call("GET", "/connectors/\(connector)/attestation") as? [String: Any]
        #expect(enrolled?["fingerprint"] as? String == first.attestation?.fingerprint)

        let second = try Agent(configuration: configuration, logger: quietLogger, snapshotSource: countersOnlySnapshot)
        let secondRun = launch(second)
        #expect(
            try await eventually {
                try await kinds(mock, connector).filter { $0 == "FinishAttestationSuccess" }.count == 2
            })
        second.stop()
        await secondRun.value
        #expect(try String(contentsOfFile: keyFile, encoding: .utf8) == key, "the key is created once")
        #expect(second.attestation?.fingerprint == first.attestation?.fingerprint)
        #expect(
            try await kinds(mock, connector) == [
                "Init", "StartAttestation", "FinishAttestationSuccess", "Leave", "Init", "StartAttestation",
                "FinishAttestationSuccess", "Leave",
            ])
    }

    @Test(
        "another device's key is refused (FinishAttestationFailure, retried with backoff) until the operator resets it")
    func wrongKeyIsRefusedAndRetried() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        let original = try Agent(
            configuration: identityConfiguration(mock, connector, state: temporaryStateDirectory()),
            logger: quietLogger, snapshotSource: countersOnlySnapshot)
        let originalRun = launch(original)
        #expect(await eventually { original.attestation != nil })
        original.stop()
        await originalRun.value

        // A second device (its own state dir, so its own key) claims the same connector.
        let impostor = try Agent(
            configuration: identityConfiguration(mock, connector, state: temporaryStateDirectory()),
            logger: quietLogger, snapshotSource: countersOnlySnapshot)
        let impostorRun = launch(impostor)
        #expect(
            try await eventually {
                try await kinds(mock, connector).filter { $0 == "FinishAttestationFailure" }.count >= 3
            })
        #expect(impostor.attestation == nil)
        try await mock.call("DELETE", "/connectors/\(connector)/attestation")
        #expect(await eventually { impostor.attestation != nil })
        impostor.stop()
        await impostorRun.value

        let events = try await kinds(mock, connector).dropFirst(4)  // the original's run
        #expect(events.first == "Init")
        // Every attempt is a Start and one Finish; the last one succeeded.
        let attempts = events.filter { $0.hasPrefix("StartAttestation") }.count
        #expect(attempts == events.filter { $0.hasPrefix("FinishAttestation") }.count)
        #expect(Array(events.suffix(3)) == ["StartAttestation", "FinishAttestationSuccess", "Leave"])
    }

    @Test(
        "on-demand rotation: a new enrolled key and a CA-issued certificate; a refused rotation keeps the old identity")
    func rotationOnDemandAndFailureKeepsOldIdentity() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        let state = temporaryStateDirectory()
        let agent = try Agent(
            configuration: identityConfiguration(mock, connector, state: state), logger: quietLogger,
            snapshotSource: countersOnlySnapshot)
        let running = launch(agent)
        #expect(await eventually { agent.attestation != nil })
        let oldFingerprint = try #require(agent.attestation?.fingerprint)
        let keyFile = state + "/identity/device-key.pem"
        let oldKey = try String(contentsOfFile: keyFile, encoding: .utf8)

        agent.requestRotation(.cryptKey)
        #expect(try await eventually { try await kinds(mock, connector).contains("FinishRotateCryptKeySuccess") })
        let newFingerprint = try #require(agent.attestation?.fingerprint)
        #expect(newFingerprint != oldFingerprint)
        #expect(
            (try await mock.call("GET", "/connectors/\(connector)/attestation") as? [String: Any])?["fingerprint"]
                as? String == newFingerprint)
        #expect(try String(contentsOfFile: keyFile, encoding: .utf8) != oldKey)
        #expect(!FileManager.default.fileExists(atPath: state + "/identity/device-key.next.pem"))

        agent.requestRotation(.pki)
        #expect(try await eventually { try await kinds(mock, connector).contains("FinishRotatePkiSuccess") })
        let certificate = try Certificate(pemEncoded: try #require(agent.certificatePEM))
        #expect(certificate.subject.description.contains(connector))
        #expect(mode(state + "/identity/pki.json") == 0o600)
        let pkiBefore = try String(contentsOfFile: state + "/identity/pki.json", encoding: .utf8)

        // The API forgets the device: rotations are refused and nothing local changes.
        try await mock.call("DELETE", "/connectors/\(connector)/attestation")
        let keyBefore = try String(contentsOfFile: keyFile, encoding: .utf8)
        agent.requestRotation(.cryptKey)
        agent.requestRotation(.pki)
        #expect(
            try await eventually {
                let kinds = try await kinds(mock, connector)
                return kinds.contains("FinishRotateCryptKeyFailure") && kinds.contains("FinishRotatePkiFailure")
            })
        #expect(try String(contentsOfFile: keyFile, encoding: .utf8) == keyBefore, "the old key stays")
        #expect(
            try String(contentsOfFile: state + "/identity/pki.json", encoding: .utf8) == pkiBefore,
            "the old certificate stays")
        #expect(!FileManager.default.fileExists(atPath: state + "/identity/device-key.next.pem"))
        agent.stop()
        await running.value
        #expect(
            try await kinds(mock, connector) == [
                "Init", "StartAttestation", "FinishAttestationSuccess",
                "StartRotateCryptKey", "FinishRotateCryptKeySuccess", "StartRotatePki", "FinishRotatePkiSuccess",
                "StartRotateCryptKey", "FinishRotateCryptKeyFailure", "StartRotatePki", "FinishRotatePkiFailure",
                "Leave",
            ])
    }

    @Test("a key rotation the API took but the device never promoted (crash, lost answer) is settled at the next start")
    func interruptedRotationIsSettled() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        let state = temporaryStateDirectory()
        let configuration = identityConfiguration(mock, connector, state: state)
        let first = try Agent(configuration: configuration, logger: quietLogger, snapshotSource: countersOnlySnapshot)
        let firstRun = launch(first)
        #expect(await eventually { first.attestation != nil })
        first.stop(.abrupt)
        await firstRun.value

        // What the agent does in a rotation, stopped after the API answered: the new key is staged and enrolled.
        let old = try P256.Signing.PrivateKey(
            pemRepresentation: String(contentsOfFile: state + "/identity/device-key.pem", encoding: .utf8))
        let new = P256.Signing.PrivateKey()
        try new.pemRepresentation.write(
            toFile: state + "/identity/device-key.next.pem", atomically: true, encoding: .utf8)
        let nonce = try #require(
            (try await mock.call("POST", "/connectors/\(connector)/attestation/challenge", [String: String]())
                as? [String: Any])?["nonce"] as? String)
        let newPEM = new.publicKey.pemRepresentation
        try await mock.call(
            "POST", "/connectors/\(connector)/attestation/rotate",
            [
                "nonce": nonce, "public_key": newPEM,
                "signature": try new.signature(
                    for: IdentityMessage.attestation(account: LoopbackMock.account, connector: connector, nonce: nonce)
                ).derRepresentation.base64EncodedString(),
                "endorsement": try old.signature(
                    for: IdentityMessage.keyRotation(
                        account: LoopbackMock.account, connector: connector, nonce: nonce, newPublicKey: newPEM)
                ).derRepresentation.base64EncodedString(),
            ])

        let second = try Agent(configuration: configuration, logger: quietLogger, snapshotSource: countersOnlySnapshot)
        let secondRun = launch(second)
        #expect(await eventually { second.attestation != nil })
        second.stop()
        await secondRun.value
        #expect(
            try String(contentsOfFile: state + "/identity/device-key.pem", encoding: .utf8) == new.pemRepresentation,
            "the staged key was promoted")
        #expect(!FileManager.default.fileExists(atPath: state + "/identity/device-key.next.pem"))
        #expect(
            Array(try await kinds(mock, connector).suffix(4)) == [
                "Init", "StartAttestation", "FinishAttestationSuccess", "Leave",
            ], "settled without a failure")
    }

    @Test("scheduled PKI rotation: a first certificate at once, then a new one every interval")
    func scheduledPKIRotation() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        var configuration = identityConfiguration(mock, connector, state: temporaryStateDirectory())
        configuration.rotatePkiInterval = 0.5
        let agent = try Agent(configuration: configuration, logger: quietLogger, snapshotSource: countersOnlySnapshot)
        let running = launch(agent)
        var certificates = Set<String>()
        #expect(
            await eventually {
                if let pem = agent.certificatePEM { certificates.insert(pem) }
                return certificates.count >= 3
            })
        agent.stop()
        await running.value
        let kinds = try await kinds(mock, connector)
        #expect(kinds.filter { $0 == "FinishRotatePkiSuccess" }.count >= 3)
        #expect(!kinds.contains("StartRotateCryptKey"), "the key schedule is off")
    }
}

/// The permission bits of a file, or -1 when it cannot be stat'ed.
func mode(_ path: String) -> Int {
    var info = stat()
    guard stat(path, &info) == 0 else { return -1 }
    return Int(info.st_mode) & 0o777
}
