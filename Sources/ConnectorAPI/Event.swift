// Lifecycle events as documented ("Get Event"): `{e: {k, ...}, n, t, v}`.

/// The 16 documented event kinds; the raw value is the wire value of `e.k`.
public enum EventKind: String, Codable, Sendable, CaseIterable {
    case `init` = "Init"
    case leave = "Leave"
    case startAttestation = "StartAttestation"
    case finishAttestationSuccess = "FinishAttestationSuccess"
    case finishAttestationFailure = "FinishAttestationFailure"
    case startRotateCryptKey = "StartRotateCryptKey"
    case finishRotateCryptKeySuccess = "FinishRotateCryptKeySuccess"
    case finishRotateCryptKeyFailure = "FinishRotateCryptKeyFailure"
    case startRotatePki = "StartRotatePki"
    case finishRotatePkiSuccess = "FinishRotatePkiSuccess"
    case finishRotatePkiFailure = "FinishRotatePkiFailure"
    case startUpgrade = "StartUpgrade"
    case finishUpgradeSuccess = "FinishUpgradeSuccess"
    case finishUpgradeFailure = "FinishUpgradeFailure"
    case reconcile = "Reconcile"
    case configureCloudflaredTunnel = "ConfigureCloudflaredTunnel"
}

/// The `e` object: the kind plus its payload (only `StartUpgrade` has one, the bundle `url`).
public enum Event: Sendable, Equatable {
    case `init`
    case leave
    case startAttestation
    case finishAttestationSuccess
    case finishAttestationFailure
    case startRotateCryptKey
    case finishRotateCryptKeySuccess
    case finishRotateCryptKeyFailure
    case startRotatePki
    case finishRotatePkiSuccess
    case finishRotatePkiFailure
    case startUpgrade(url: String)
    case finishUpgradeSuccess
    case finishUpgradeFailure
    case reconcile
    case configureCloudflaredTunnel

    public var kind: EventKind {
        switch self {
        case .`init`: .`init`
        case .leave: .leave
        case .startAttestation: .startAttestation
        case .finishAttestationSuccess: .finishAttestationSuccess
        case .finishAttestationFailure: .finishAttestationFailure
        case .startRotateCryptKey: .startRotateCryptKey
        case .finishRotateCryptKeySuccess: .finishRotateCryptKeySuccess
        case .finishRotateCryptKeyFailure: .finishRotateCryptKeyFailure
        case .startRotatePki: .startRotatePki
        case .finishRotatePkiSuccess: .finishRotatePkiSuccess
        case .finishRotatePkiFailure: .finishRotatePkiFailure
        case .startUpgrade: .startUpgrade
        case .finishUpgradeSuccess: .finishUpgradeSuccess
        case .finishUpgradeFailure: .finishUpgradeFailure
        case .reconcile: .reconcile
        case .configureCloudflaredTunnel: .configureCloudflaredTunnel
        }
    }

    /// The event of a kind that carries no payload; nil for `StartUpgrade`, which needs its `url`.
    public init?(payloadFree kind: EventKind) {
        switch kind {
        case .`init`: self = .`init`
        case .leave: self = .leave
        case .startAttestation: self = .startAttestation
        case .finishAttestationSuccess: self = .finishAttestationSuccess
        case .finishAttestationFailure: self = .finishAttestationFailure
        case .startRotateCryptKey: self = .startRotateCryptKey
        case .finishRotateCryptKeySuccess: self = .finishRotateCryptKeySuccess
        case .finishRotateCryptKeyFailure: self = .finishRotateCryptKeyFailure
        case .startRotatePki: self = .startRotatePki
        case .finishRotatePkiSuccess: self = .finishRotatePkiSuccess
        case .finishRotatePkiFailure: self = .finishRotatePkiFailure
        case .startUpgrade: return nil
        case .finishUpgradeSuccess: self = .finishUpgradeSuccess
        case .finishUpgradeFailure: self = .finishUpgradeFailure
        case .reconcile: self = .reconcile
        case .configureCloudflaredTunnel: self = .configureCloudflaredTunnel
        }
    }
}

extension Event: Codable {
    enum CodingKeys: String, CodingKey {
        case k, url
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(EventKind.self, forKey: .k)
        if kind == .startUpgrade {
            self = .startUpgrade(url: try container.decode(String.self, forKey: .url))
        } else {
            self = Event(payloadFree: kind)!
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .k)
        if case .startUpgrade(let url) = self {
            try container.encode(url, forKey: .url)
        }
    }
}

/// A recorded event: `t` is when it was recorded, `n` orders events that share a `t`, `v` the version.
public struct RecordedEvent: Codable, Sendable, Equatable {
    public var e: Event
    public var n: UInt64
    public var t: Double
    public var v: String?

    public init(e: Event, n: UInt64, t: Double, v: String?) {
        self.e = e
        self.n = n
        self.t = t
        self.v = v
    }
}
